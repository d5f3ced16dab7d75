using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StockFlow.Jsonata;

/// <summary>
/// Converts between JSON text / System.Text.Json values and the engine's values, printing numbers exactly as
/// JavaScript's Number.prototype.toString and strings as JSON.stringify does.
/// </summary>
public static class JsonText
{
    /// <summary>Parses JSON text into an engine value (JSON null becomes <see cref="JsonNull.Value"/>).</summary>
    public static object? Parse(string json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 1000 });
        return FromElement(doc.RootElement);
    }

    /// <summary>Converts a parsed JSON element into an engine value (numbers become doubles, JSON null <see cref="JsonNull.Value"/>).</summary>
    public static object? FromElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
            {
                var obj = new JObject();
                foreach (var p in element.EnumerateObject())
                {
                    obj[p.Name] = FromElement(p.Value);
                }

                return obj;
            }

            case JsonValueKind.Array:
            {
                var arr = new JArray(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    arr.Add(FromElement(item));
                }

                return arr;
            }

            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Null:
                return JsonNull.Value;
            default:
                return null;
        }
    }

    /// <summary>Converts a System.Text.Json node (null node = JSON null) into an engine value.</summary>
    public static object? FromNode(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return JsonNull.Value;
            case JsonObject o:
            {
                var obj = new JObject();
                foreach (var (key, value) in o)
                {
                    obj[key] = FromNode(value);
                }

                return obj;
            }

            case JsonArray a:
            {
                var arr = new JArray(a.Count);
                foreach (var item in a)
                {
                    arr.Add(FromNode(item));
                }

                return arr;
            }

            default:
            {
                var v = node.AsValue();
                if (v.TryGetValue<string>(out var s))
                {
                    return s;
                }

                if (v.TryGetValue<bool>(out var b))
                {
                    return b;
                }

                if (v.TryGetValue<double>(out var d))
                {
                    return d;
                }

                if (v.TryGetValue<JsonElement>(out var e))
                {
                    return FromElement(e);
                }

                return FromElement(JsonSerializer.SerializeToElement(node));
            }
        }
    }

    /// <summary>Converts an engine value to a System.Text.Json node; undefined and functions are not JSON and give null.</summary>
    public static JsonNode? ToNode(object? value)
    {
        switch (value)
        {
            case null or JsonNull:
                return null;
            case string s:
                return JsonValue.Create(s);
            case bool b:
                return JsonValue.Create(b);
            case double d:
                return d == Math.Floor(d) && Math.Abs(d) < 9007199254740992d ? JsonValue.Create((long)d) : JsonValue.Create(d);
            case JArray a:
            {
                var arr = new JsonArray();
                foreach (var item in a)
                {
                    if (item is not null and not JsonataFunction)
                    {
                        arr.Add(ToNode(item));
                    }
                    else if (item is JsonNull)
                    {
                        arr.Add(null);
                    }
                }

                return arr;
            }

            case JObject o:
            {
                var obj = new JsonObject();
                foreach (var (key, item) in o)
                {
                    if (item is not null and not JsonataFunction)
                    {
                        obj[key] = ToNode(item);
                    }
                }

                return obj;
            }

            default:
                return null;
        }
    }

    /// <summary>JSON text of a value as JSON.stringify writes it (undefined and functions inside objects are left out).</summary>
    public static string Stringify(object? value, bool pretty = false)
    {
        var sb = new StringBuilder();
        Write(sb, value, pretty ? "  " : null, string.Empty, reducePrecision: false, functionsAsEmptyString: false);
        return sb.ToString();
    }

    /// <summary>The text $string produces: numbers rounded to 15 significant digits, functions as "".</summary>
    internal static string StringifyForString(object? value, bool pretty)
    {
        var sb = new StringBuilder();
        Write(sb, value, pretty ? "  " : null, string.Empty, reducePrecision: true, functionsAsEmptyString: true);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, string? indent, string currentIndent, bool reducePrecision, bool functionsAsEmptyString)
    {
        switch (value)
        {
            case null or JsonNull:
                sb.Append("null");
                break;
            case string s:
                WriteString(sb, s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case double d:
                if (double.IsFinite(d))
                {
                    // $string rounds fractions to 15 significant digits; integers print whole (jsonata-js 2.x)
                    sb.Append(FormatNumber(reducePrecision && !double.IsInteger(d) ? ToPrecision15(d) : d));
                }
                else
                {
                    sb.Append("null");
                }

                break;
            case JsonataFunction:
                if (functionsAsEmptyString)
                {
                    sb.Append("\"\"");
                }
                else
                {
                    sb.Append("null");
                }

                break;
            case JArray a:
            {
                if (a.Count == 0)
                {
                    sb.Append("[]");
                    break;
                }

                sb.Append('[');
                var inner = indent == null ? currentIndent : currentIndent + indent;
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    if (indent != null)
                    {
                        sb.Append('\n').Append(inner);
                    }

                    var item = a[i];
                    if (item is JsonataFunction && !functionsAsEmptyString)
                    {
                        sb.Append("null");
                    }
                    else
                    {
                        Write(sb, item, indent, inner, reducePrecision, functionsAsEmptyString);
                    }
                }

                if (indent != null)
                {
                    sb.Append('\n').Append(currentIndent);
                }

                sb.Append(']');
                break;
            }

            case JObject o:
            {
                var inner = indent == null ? currentIndent : currentIndent + indent;
                sb.Append('{');
                var first = true;
                foreach (var (key, item) in o)
                {
                    if (item == null || (item is JsonataFunction && !functionsAsEmptyString))
                    {
                        continue;
                    }

                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    if (indent != null)
                    {
                        sb.Append('\n').Append(inner);
                    }

                    WriteString(sb, key);
                    sb.Append(indent != null ? ": " : ":");
                    Write(sb, item, indent, inner, reducePrecision, functionsAsEmptyString);
                }

                if (indent != null && !first)
                {
                    sb.Append('\n').Append(currentIndent);
                }

                sb.Append('}');
                break;
            }

            default:
                sb.Append("null");
                break;
        }
    }

    internal static double ToPrecision15(double d)
        => double.Parse(d.ToString("E14", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);

    internal static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        sb.Append(c).Append(s[i + 1]);
                        i++;
                    }
                    else if (char.IsSurrogate(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    /// <summary>A number as JavaScript's Number.prototype.toString prints it (1e+21, 0.30000000000000004, 5 not 5.0).</summary>
    public static string FormatNumber(double d)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "Infinity" : "-Infinity";
        }

        if (d == 0)
        {
            return "0";
        }

        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var negative = r[0] == '-';
        if (negative)
        {
            r = r[1..];
        }

        var exponent = 0;
        var e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }

        var point = r.IndexOf('.', StringComparison.Ordinal);
        string digits;
        int n;
        if (point >= 0)
        {
            digits = r[..point] + r[(point + 1)..];
            n = point + exponent;
        }
        else
        {
            digits = r;
            n = r.Length + exponent;
        }

        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }

        digits = digits[lead..];
        n -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return "0";
        }

        var k = digits.Length;
        var sb = new StringBuilder();
        if (negative)
        {
            sb.Append('-');
        }

        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            sb.Append(digits[0]);
            if (k > 1)
            {
                sb.Append('.').Append(digits, 1, k - 1);
            }

            sb.Append('e').Append(n - 1 >= 0 ? '+' : '-').Append(Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
