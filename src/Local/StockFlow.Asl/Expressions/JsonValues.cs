using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StockFlow.Asl.Expressions;

/// <summary>Small helpers over JsonNode that every expression component needs: kinds, numbers, equality, text.</summary>
public static class JsonValues
{
    // AWS writes non-ASCII text as-is; the default encoder would turn "é" into "\u00E9".
    private static readonly JsonSerializerOptions CompactOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>The node's JSON kind; a C# null (how <see cref="JsonNode"/> represents JSON null) is <see cref="JsonValueKind.Null"/>.</summary>
    public static JsonValueKind KindOf(JsonNode? node) => node is null ? JsonValueKind.Null : node.GetValueKind();

    /// <summary>True for a JSON number (integer or not).</summary>
    public static bool IsNumber(JsonNode? node) => KindOf(node) == JsonValueKind.Number;

    /// <summary>True for a JSON string.</summary>
    public static bool IsString(JsonNode? node) => KindOf(node) == JsonValueKind.String;

    /// <summary>True for JSON <c>true</c> or <c>false</c>.</summary>
    public static bool IsBoolean(JsonNode? node) => KindOf(node) is JsonValueKind.True or JsonValueKind.False;

    /// <summary>Compact JSON text, "null" for a JSON null.</summary>
    public static string ToJson(JsonNode? node) => node is null ? "null" : node.ToJsonString(CompactOptions);

    /// <summary>A deep copy that can be attached to another parent; null stays null.</summary>
    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    /// <summary>The text of a JSON string; false (and "") for any other kind, numbers included.</summary>
    /// <param name="node">The value.</param>
    /// <param name="value">The text; "" when it is not a string.</param>
    public static bool TryGetString(JsonNode? node, out string value)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return true;
        }

        value = string.Empty;
        return false;
    }

    /// <summary>A JSON number as a decimal (exact for the numbers ASL compares); false for other kinds and for numbers outside decimal's range.</summary>
    /// <param name="node">The value.</param>
    /// <param name="value">The number; 0 when the method returns false.</param>
    public static bool TryGetDecimal(JsonNode? node, out decimal value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
            return false;

        // Fast paths for the CLR types a JsonValue usually wraps; text parsing is the slow fallback.
        if (v.TryGetValue(out value))
            return true;
        if (v.TryGetValue(out int i))
        {
            value = i;
            return true;
        }

        if (v.TryGetValue(out long l))
        {
            value = l;
            return true;
        }

        return decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A JSON number as a double; false for other kinds.</summary>
    /// <param name="node">The value.</param>
    /// <param name="value">The number; 0 when the method returns false.</param>
    public static bool TryGetDouble(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
            return false;
        if (v.TryGetValue(out value))
            return true;
        return double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Orders two JSON numbers; exact (decimal) when both fit, double otherwise.</summary>
    public static int CompareNumbers(JsonNode left, JsonNode right)
    {
        if (TryGetDecimal(left, out var l) && TryGetDecimal(right, out var r))
            return l.CompareTo(r);
        TryGetDouble(left, out var ld);
        TryGetDouble(right, out var rd);
        return ld.CompareTo(rd);
    }

    /// <summary>Structural equality; numbers compare by value (1 == 1.0), object member order does not matter.</summary>
    public static bool DeepEquals(JsonNode? left, JsonNode? right)
    {
        var kind = KindOf(left);
        if (kind != KindOf(right))
            return false;
        switch (kind)
        {
            case JsonValueKind.Null:
            case JsonValueKind.True:
            case JsonValueKind.False:
                return true;
            case JsonValueKind.Number:
                return CompareNumbers(left!, right!) == 0;
            case JsonValueKind.String:
                return string.Equals(left!.GetValue<string>(), right!.GetValue<string>(), StringComparison.Ordinal);
            case JsonValueKind.Array:
                var la = left!.AsArray();
                var ra = right!.AsArray();
                if (la.Count != ra.Count)
                    return false;
                for (var i = 0; i < la.Count; i++)
                {
                    if (!DeepEquals(la[i], ra[i]))
                        return false;
                }

                return true;
            case JsonValueKind.Object:
                var lo = left!.AsObject();
                var ro = right!.AsObject();
                if (lo.Count != ro.Count)
                    return false;
                foreach (var (key, value) in lo)
                {
                    if (!ro.TryGetPropertyValue(key, out var other) || !DeepEquals(value, other))
                        return false;
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>AWS's name for a JSON type in error messages.</summary>
    public static string TypeName(JsonNode? node) => KindOf(node) switch
    {
        JsonValueKind.Object => "OBJECT",
        JsonValueKind.Array => "ARRAY",
        JsonValueKind.String => "STRING",
        JsonValueKind.Number => "NUMBER",
        JsonValueKind.True or JsonValueKind.False => "BOOLEAN",
        _ => "NULL",
    };
}
