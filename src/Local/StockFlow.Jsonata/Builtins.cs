using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace StockFlow.Jsonata;

/// <summary>The built-in function library of jsonata-js 2.x, registered in the outermost frame.</summary>
internal static partial class Builtins
{
    public static readonly Frame Root = CreateRoot();

    private static Frame CreateRoot()
    {
        var root = new Frame(null, null);
        void Def(string name, string signature, int arity, Func<CallContext, object?[], object?> impl)
            => root.Bind(name, new NativeFunction(name, Signature.Parse(signature, 0), arity, impl));

        // aggregation
        Def("sum", "<a<n>:n>", 1, (_, a) => a[0] is JArray arr ? arr.Sum(v => (double)v!) : null);
        Def("count", "<a:n>", 1, (_, a) => a[0] is JArray arr ? (double)arr.Count : 0d);
        Def("max", "<a<n>:n>", 1, (_, a) => a[0] is JArray { Count: > 0 } arr ? arr.Max(v => (double)v!) : null);
        Def("min", "<a<n>:n>", 1, (_, a) => a[0] is JArray { Count: > 0 } arr ? arr.Min(v => (double)v!) : null);
        Def("average", "<a<n>:n>", 1, (_, a) => a[0] is JArray { Count: > 0 } arr ? arr.Sum(v => (double)v!) / arr.Count : null);

        // strings
        Def("string", "<x-b?:s>", 1, (_, a) => String(a[0], a.Length > 1 && a[1] is true));
        Def("substring", "<s-nn?:s>", 3, (_, a) => Substring(a[0] as string, a[1], Arg(a, 2)));
        Def("substringBefore", "<s-s:s>", 2, (_, a) => SubstringBefore(a[0] as string, a[1] as string));
        Def("substringAfter", "<s-s:s>", 2, (_, a) => SubstringAfter(a[0] as string, a[1] as string));
        Def("lowercase", "<s-:s>", 1, (_, a) => (a[0] as string)?.ToLowerInvariant());
        Def("uppercase", "<s-:s>", 1, (_, a) => (a[0] as string)?.ToUpperInvariant());
        Def("length", "<s-:n>", 1, (_, a) => a[0] is string s ? (double)CodePointCount(s) : null);
        Def("trim", "<s-:s>", 1, (_, a) => Trim(a[0] as string));
        Def("pad", "<s-ns?:s>", 3, (_, a) => Pad(a[0] as string, a[1], Arg(a, 2) as string));
        Def("match", "<s-f<s:o>n?:a<o>>", 3, (c, a) => Match(c, a[0] as string, a[1], Arg(a, 2)));
        Def("contains", "<s-(sf):b>", 2, (c, a) => Contains(c, a[0] as string, a[1]));
        Def("replace", "<s-(sf)(sf)n?:s>", 4, (c, a) => Replace(c, a[0] as string, a[1], a[2], Arg(a, 3)));
        Def("split", "<s-(sf)n?:a<s>>", 3, (c, a) => Split(c, a[0] as string, a[1], Arg(a, 2)));
        Def("join", "<a<s>s?:s>", 2, (_, a) => a[0] is JArray arr ? string.Join(Arg(a, 1) as string ?? string.Empty, arr.Select(v => (string)v!)) : null);
        Def("formatNumber", "<n-so?:s>", 3, (_, a) => a[0] is double d ? NumberFormatter.Format(d, (string)a[1]!, Arg(a, 2) as JObject) : null);
        Def("formatBase", "<n-n?:s>", 2, (_, a) => FormatBase(a[0], Arg(a, 1)));
        Def("formatInteger", "<n-s:s>", 2, (_, a) => a[0] is double d ? IntegerFormatter.Format(d, (string)a[1]!) : null);
        Def("parseInteger", "<s-s:n>", 2, (_, a) => a[0] is string s ? IntegerFormatter.Parse(s, (string)a[1]!) : null);
        Def("base64encode", "<s-:s>", 1, (_, a) => a[0] is string s ? Convert.ToBase64String(s.Select(ch => (byte)ch).ToArray()) : null);
        Def("base64decode", "<s-:s>", 1, (_, a) => a[0] is string s ? Base64Decode(s) : null);
        Def("encodeUrlComponent", "<s-:s>", 1, (_, a) => a[0] is string s ? UrlCodec.Encode(s, component: true, "encodeUrlComponent") : null);
        Def("encodeUrl", "<s-:s>", 1, (_, a) => a[0] is string s ? UrlCodec.Encode(s, component: false, "encodeUrl") : null);
        Def("decodeUrlComponent", "<s-:s>", 1, (_, a) => a[0] is string s ? UrlCodec.Decode(s, component: true, "decodeUrlComponent") : null);
        Def("decodeUrl", "<s-:s>", 1, (_, a) => a[0] is string s ? UrlCodec.Decode(s, component: false, "decodeUrl") : null);
        Def("eval", "<sx?:x>", 2, (c, a) => Eval(c, a[0] as string, Arg(a, 1), a.Length > 1 && a[1] != null));

        // numbers
        Def("number", "<(nsb)-:n>", 1, (_, a) => Number(a[0]));
        Def("abs", "<n-:n>", 1, (_, a) => a[0] is double d ? Math.Abs(d) : null);
        Def("floor", "<n-:n>", 1, (_, a) => a[0] is double d ? Math.Floor(d) + 0d : null);
        Def("ceil", "<n-:n>", 1, (_, a) => a[0] is double d ? Math.Ceiling(d) + 0d : null);
        Def("round", "<n-n?:n>", 2, (_, a) => a[0] is double d ? Round(d, Arg(a, 1) is double p ? (int)p : 0) : null);
        Def("sqrt", "<n-:n>", 1, (_, a) => a[0] is double d ? (d < 0 ? throw Errors.Create("D3060", value: d) : Math.Sqrt(d)) : null);
        Def("power", "<n-n:n>", 2, (_, a) => Power(a[0], a[1]));
        Def("random", "<:n>", 0, (_, _) => Random.Shared.NextDouble());
        Def("uuid", "<:s>", 0, (_, _) => Guid.NewGuid().ToString());

        // booleans
        Def("boolean", "<x-:b>", 1, (_, a) => ToBoolean(a[0]));
        Def("not", "<x-:b>", 1, (_, a) => ToBoolean(a[0]) is bool b ? !b : null);
        Def("exists", "<x:b>", 1, (_, a) => a[0] != null);

        // arrays
        Def("append", "<xx:a>", 2, (_, a) => Append(a[0], a[1]));
        Def("reverse", "<a:a>", 1, (_, a) => Reverse(a[0] as JArray));
        Def("sort", "<af?:a>", 2, (c, a) => Sort(c, a[0] as JArray, Arg(a, 1) as JsonataFunction));
        Def("shuffle", "<a:a>", 1, (_, a) => Shuffle(a[0] as JArray));
        Def("distinct", "<x:x>", 1, (_, a) => Distinct(a[0]));
        Def("zip", "<a+>", 0, (_, a) => Zip(a));

        // objects
        Def("keys", "<x-:a<s>>", 1, (_, a) => Keys(a[0]));
        Def("lookup", "<x-s:x>", 2, (_, a) => Evaluator.Lookup(a[0], (string)a[1]!));
        Def("spread", "<x-:a<o>>", 1, (_, a) => Spread(a[0]));
        Def("merge", "<a<o>:o>", 1, (_, a) => Merge(a[0] as JArray));
        Def("each", "<o-f:a>", 2, (c, a) => Each(c, a[0] as JObject, (JsonataFunction)a[1]!));
        Def("sift", "<o-f?:o>", 2, (c, a) => Sift(c, a[0] as JObject, (JsonataFunction)a[1]!));
        Def("error", "<s?:x>", 1, (_, a) => throw Errors.Create("D3137", -1, text: Arg(a, 0) as string ?? "$error() function evaluated"));
        Def("assert", "<bs?:x>", 2, (_, a) => a[0] is true ? null : throw Errors.Create("D3141", -1, text: Arg(a, 1) as string ?? "$assert() statement failed"));
        Def("type", "<x:s>", 1, (_, a) => TypeOf(a[0]));
        Def("clone", "<(oa)-:o>", 1, (_, a) => a[0] == null ? null : JsonText.Parse(JsonText.Stringify(a[0])));

        // higher-order
        Def("map", "<af>", 2, (c, a) => Map(c, a[0] as JArray, (JsonataFunction)a[1]!));
        Def("filter", "<af>", 2, (c, a) => Filter(c, a[0] as JArray, (JsonataFunction)a[1]!));
        Def("single", "<af?>", 2, (c, a) => Single(c, a[0] as JArray, Arg(a, 1) as JsonataFunction));
        Def("reduce", "<afj?:j>", 3, (c, a) => Reduce(c, a[0] as JArray, (JsonataFunction)a[1]!, Arg(a, 2)));

        // date/time
        Def("now", "<s?s?:s>", 2, (c, a) => DateTimeFormatter.FromMillis(c.Environment.State!.Timestamp.ToUnixTimeMilliseconds(), Arg(a, 0) as string, Arg(a, 1) as string));
        Def("millis", "<:n>", 0, (c, _) => (double)c.Environment.State!.Timestamp.ToUnixTimeMilliseconds());
        Def("fromMillis", "<n-s?s?:s>", 3, (_, a) => a[0] is double d ? DateTimeFormatter.FromMillis(d, Arg(a, 1) as string, Arg(a, 2) as string) : null);
        Def("toMillis", "<s-s?:n>", 2, (_, a) => a[0] is string s ? DateTimeFormatter.ToMillis(s, Arg(a, 1) as string) : null);
        return root;
    }

    private static object? Arg(object?[] args, int index) => index < args.Length ? args[index] : null;

    // ---- shared semantics -------------------------------------------------------------------

    /// <summary>JSONata's boolean cast; undefined stays undefined (null here).</summary>
    public static bool? ToBoolean(object? arg)
    {
        switch (arg)
        {
            case null:
                return null;
            case JArray arr:
                if (arr.Count == 1)
                {
                    return ToBoolean(arr[0]);
                }

                foreach (var v in arr)
                {
                    if (ToBoolean(v) == true)
                    {
                        return true;
                    }
                }

                return false;
            case string s:
                return s.Length > 0;
            case double d:
                return d != 0 && !double.IsNaN(d);
            case bool b:
                return b;
            case JObject o:
                return o.Count > 0;
            default:
                return false;
        }
    }

    public static bool DeepEquals(object? a, object? b)
    {
        switch (a)
        {
            case double d:
                return b is double e && d == e;
            case string s:
                return b is string t && string.Equals(s, t, StringComparison.Ordinal);
            case bool x:
                return b is bool y && x == y;
            case JsonNull:
                return b is JsonNull;
            case JArray arr:
            {
                if (b is not JArray other || other.Count != arr.Count)
                {
                    return false;
                }

                for (var i = 0; i < arr.Count; i++)
                {
                    if (!DeepEquals(arr[i], other[i]))
                    {
                        return false;
                    }
                }

                return true;
            }

            case JObject obj:
            {
                if (b is not JObject other || other.Count != obj.Count)
                {
                    return false;
                }

                foreach (var (k, v) in obj)
                {
                    if (!other.TryGetValue(k, out var w) || !DeepEquals(v, w))
                    {
                        return false;
                    }
                }

                return true;
            }

            default:
                return ReferenceEquals(a, b);
        }
    }

    /// <summary>The string cast $string and '&amp;' use.</summary>
    public static string ToJsString(object value) => String(value, false)!;

    public static string? String(object? arg, bool prettify)
    {
        switch (arg)
        {
            case null:
                return null;
            case string s:
                return s;
            case JsonataFunction:
                return string.Empty;
            case double d when !double.IsFinite(d):
                throw Errors.Create("D3001", value: d);
            case JArray { OuterWrapper: true } wrapped:
                return JsonText.StringifyForString(wrapped[0], prettify);
            default:
                return JsonText.StringifyForString(arg, prettify);
        }
    }

    public static object? Append(object? arg1, object? arg2)
    {
        if (arg1 == null)
        {
            return arg2;
        }

        if (arg2 == null)
        {
            return arg1;
        }

        var result = new JArray();
        if (arg1 is JArray a1)
        {
            result.AddRange(a1);
        }
        else
        {
            result.Add(arg1);
        }

        if (arg2 is JArray a2)
        {
            result.AddRange(a2);
        }
        else
        {
            result.Add(arg2);
        }

        return result;
    }

    /// <summary>Stable merge sort; <paramref name="swap"/>(a, b) is true when a must come after b.</summary>
    public static JArray MergeSort(IReadOnlyList<object?> items, Func<object?, object?, bool> swap)
    {
        var array = items.ToArray();
        var tmp = new object?[array.Length];
        Sort(0, array.Length);
        return new JArray(array);

        void Sort(int lo, int hi)
        {
            if (hi - lo < 2)
            {
                return;
            }

            var mid = (lo + hi) / 2;
            Sort(lo, mid);
            Sort(mid, hi);
            int i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
            {
                tmp[k++] = swap(array[i], array[j]) ? array[j++] : array[i++];
            }

            while (i < mid)
            {
                tmp[k++] = array[i++];
            }

            while (j < hi)
            {
                tmp[k++] = array[j++];
            }

            Array.Copy(tmp, lo, array, lo, hi - lo);
        }
    }

    private static object?[] HofArgs(JsonataFunction func, object? arg1, object? arg2, object? arg3)
    {
        var arity = func.Arity;
        return arity switch
        {
            >= 3 => [arg1, arg2, arg3],
            2 => [arg1, arg2],
            _ => [arg1],
        };
    }

    private static object? Call(CallContext c, JsonataFunction func, object?[] args) => Evaluator.Apply(func, args, null, c.Environment);

    // ---- strings ------------------------------------------------------------------------------

    private static int CodePointCount(string s)
    {
        var count = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }

            count++;
        }

        return count;
    }

    private static List<string> CodePoints(string s)
    {
        var list = new List<string>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                list.Add(s.Substring(i, 2));
                i++;
            }
            else
            {
                list.Add(s[i].ToString());
            }
        }

        return list;
    }

    private static string Slice(List<string> chars, double start, double? end)
    {
        var len = chars.Count;
        var from = start < 0 ? Math.Max(len + Math.Truncate(start), 0) : Math.Min(Math.Truncate(start), len);
        var to = end is double e ? (e < 0 ? Math.Max(len + Math.Truncate(e), 0) : Math.Min(Math.Truncate(e), len)) : len;
        if (to <= from)
        {
            return string.Empty;
        }

        return string.Concat(chars.GetRange((int)from, (int)(to - from)));
    }

    private static string? Substring(string? str, object? startArg, object? lengthArg)
    {
        if (str == null)
        {
            return null;
        }

        var chars = CodePoints(str);
        var start = (double)startArg!;
        var strLength = chars.Count;
        if (strLength + start < 0)
        {
            start = 0;
        }

        if (lengthArg is double length)
        {
            if (length <= 0)
            {
                return string.Empty;
            }

            var end = start >= 0 ? start + length : strLength + start + length;
            return Slice(chars, start, end);
        }

        return Slice(chars, start, null);
    }

    private static string? SubstringBefore(string? str, string? chars)
    {
        if (str == null)
        {
            return null;
        }

        var pos = str.IndexOf(chars!, StringComparison.Ordinal);
        return pos > -1 ? str[..pos] : str;
    }

    private static string? SubstringAfter(string? str, string? chars)
    {
        if (str == null)
        {
            return null;
        }

        var pos = str.IndexOf(chars!, StringComparison.Ordinal);
        return pos > -1 ? str[(pos + chars!.Length)..] : str;
    }

    private static string? Trim(string? str)
    {
        if (str == null)
        {
            return null;
        }

        var result = WhitespaceRun().Replace(str, " ");
        if (result.StartsWith(' '))
        {
            result = result[1..];
        }

        if (result.EndsWith(' '))
        {
            result = result[..^1];
        }

        return result;
    }

    [GeneratedRegex("[ \t\n\r]+")]
    private static partial Regex WhitespaceRun();

    private static string? Pad(string? str, object? widthArg, string? ch)
    {
        if (str == null)
        {
            return null;
        }

        if (string.IsNullOrEmpty(ch))
        {
            ch = " ";
        }

        var width = (double)widthArg!;
        var size = (int)Math.Abs(width);
        var padLength = size - CodePointCount(str);
        if (padLength <= 0)
        {
            return str;
        }

        // the pad characters repeated, cut to padLength code points (linear: widths can be millions)
        var pad = CodePoints(ch);
        var sb = new StringBuilder(padLength);
        for (var i = 0; i < padLength; i++)
        {
            sb.Append(pad[i % pad.Count]);
        }

        var padding = sb.ToString();
        return width < 0 ? padding + str : str + padding;
    }

    /// <summary>The successive matches of a regex as jsonata-js finds them (a second empty match is an error).</summary>
    private static IEnumerable<System.Text.RegularExpressions.Match> Matches(Regex regex, string str)
    {
        var m = regex.Match(str, 0);
        if (!m.Success)
        {
            yield break;
        }

        yield return m;
        var lastIndex = m.Index + m.Length;
        while (lastIndex < str.Length)
        {
            m = regex.Match(str, lastIndex);
            if (!m.Success)
            {
                yield break;
            }

            if (m.Length == 0)
            {
                throw Errors.Create("D1004", value: regex.ToString());
            }

            yield return m;
            lastIndex = m.Index + m.Length;
        }
    }

    internal static JObject? RegexMatchObject(RegexFunction regex, string? str, int from)
    {
        if (str == null)
        {
            return null;
        }

        var m = regex.Regex.Match(str, from);
        if (!m.Success)
        {
            return null;
        }

        var end = m.Index + m.Length;
        return new JObject
        {
            ["match"] = m.Value,
            ["start"] = (double)m.Index,
            ["end"] = (double)end,
            ["groups"] = Groups(m),
            ["next"] = new NativeFunction("next", null, 0, (_, _) =>
            {
                if (end >= str.Length)
                {
                    return null;
                }

                var next = RegexMatchObject(regex, str, end);
                if (next != null && next["match"] is "")
                {
                    throw Errors.Create("D1004", value: regex.Source);
                }

                return next;
            }),
        };
    }

    // A matcher written as a function: called with the string, it answers {match, start, end, groups, next} or
    // undefined, and next() answers the following match, as jsonata-js's regex closures do.
    private static JArray MatchWith(CallContext c, JsonataFunction matcher, string str, double? limit, JArray result)
    {
        var matches = CheckMatcherResult(Call(c, matcher, [str]));
        var count = 0;
        while (matches != null && (limit == null || count < limit))
        {
            result.Add(new JObject
            {
                ["match"] = matches.GetValueOrDefault("match"),
                ["index"] = matches.GetValueOrDefault("start"),
                ["groups"] = matches.GetValueOrDefault("groups"),
            });
            matches = matches.GetValueOrDefault("next") is JsonataFunction next ? CheckMatcherResult(Call(c, next, [])) : null;
            count++;
        }

        return result;
    }

    private static JObject? CheckMatcherResult(object? result) => result switch
    {
        null => null,
        JObject o when o.GetValueOrDefault("start") is double || o.GetValueOrDefault("end") is double || o.GetValueOrDefault("groups") is JArray || o.GetValueOrDefault("next") is JsonataFunction => o,
        _ => throw Errors.Create("T1010"),
    };

    private static JArray Groups(System.Text.RegularExpressions.Match m)
    {
        var groups = new JArray();
        for (var i = 1; i < m.Groups.Count; i++)
        {
            groups.Add(m.Groups[i].Success ? m.Groups[i].Value : string.Empty);
        }

        return groups;
    }

    private static Regex AsRegex(object? pattern) => pattern switch
    {
        RegexFunction r => r.Regex,
        _ => throw Errors.Create("T1010"),
    };

    private static object? Match(CallContext c, string? str, object? pattern, object? limitArg)
    {
        if (str == null)
        {
            return null;
        }

        if (limitArg is double l && l < 0)
        {
            throw Errors.Create("D3040", value: l);
        }

        var result = JArray.NewSequence();
        if (pattern is JsonataFunction matcher and not RegexFunction)
        {
            return MatchWith(c, matcher, str, limitArg as double?, result);
        }

        var regex = AsRegex(pattern);
        var count = 0;
        foreach (var m in Matches(regex, str))
        {
            if (limitArg is double limit && count >= limit)
            {
                break;
            }

            result.Add(new JObject { ["match"] = m.Value, ["index"] = (double)m.Index, ["groups"] = Groups(m) });
            count++;
        }

        return result;
    }

    private static object? Contains(CallContext c, string? str, object? token)
    {
        if (str == null || token == null)
        {
            return null;
        }

        return token is string s ? str.Contains(s, StringComparison.Ordinal) : AsRegex(token).IsMatch(str);
    }

    private static object? Replace(CallContext c, string? str, object? pattern, object? replacement, object? limitArg)
    {
        if (str == null || pattern == null)
        {
            return null;
        }

        if (pattern is "")
        {
            throw Errors.Create("D3010", value: pattern);
        }

        if (limitArg is double l && l < 0)
        {
            throw Errors.Create("D3011", value: l);
        }

        var limit = limitArg as double?;
        if (limit is not null && limit <= 0)
        {
            return str;
        }

        var result = new StringBuilder();
        var position = 0;
        var count = 0;
        if (pattern is string p)
        {
            var index = str.IndexOf(p, StringComparison.Ordinal);
            while (index != -1 && (limit == null || count < limit))
            {
                result.Append(str, position, index - position);
                result.Append(replacement as string ?? string.Empty);
                position = index + p.Length;
                count++;
                index = str.IndexOf(p, position, StringComparison.Ordinal);
            }

            result.Append(str, position, str.Length - position);
            return result.ToString();
        }

        var any = false;
        foreach (var m in Matches(AsRegex(pattern), str))
        {
            if (limit != null && count >= limit)
            {
                break;
            }

            any = true;
            result.Append(str, position, m.Index - position);
            object? replacedWith;
            if (replacement is string template)
            {
                replacedWith = Substitute(template, m);
            }
            else
            {
                var matchObj = new JObject { ["match"] = m.Value, ["index"] = (double)m.Index, ["groups"] = Groups(m) };
                replacedWith = Call(c, (JsonataFunction)replacement!, [matchObj]);
            }

            if (replacedWith is string rs)
            {
                result.Append(rs);
            }
            else
            {
                throw Errors.Create("D3012", value: replacedWith);
            }

            position = m.Index + m.Length;
            count++;
        }

        if (!any)
        {
            return str;
        }

        result.Append(str, position, str.Length - position);
        return result.ToString();
    }

    private static string Substitute(string replacement, System.Text.RegularExpressions.Match m)
    {
        var groups = Groups(m);
        var substitute = new StringBuilder();
        var position = 0;
        var index = replacement.IndexOf('$', position);
        while (index != -1 && position < replacement.Length)
        {
            substitute.Append(replacement, position, index - position);
            position = index + 1;
            var dollarVal = position < replacement.Length ? replacement[position] : '\0';
            if (dollarVal == '$')
            {
                substitute.Append('$');
                position++;
            }
            else if (dollarVal == '0')
            {
                substitute.Append(m.Value);
                position++;
            }
            else
            {
                var maxDigits = groups.Count == 0 ? 1 : (int)Math.Floor(Math.Log10(groups.Count)) + 1;
                var groupIndex = ParseLeadingInt(replacement, position, maxDigits);
                if (maxDigits > 1 && groupIndex > groups.Count)
                {
                    groupIndex = ParseLeadingInt(replacement, position, maxDigits - 1);
                }

                if (groupIndex is int gi)
                {
                    if (groups.Count > 0 && gi >= 1 && gi <= groups.Count)
                    {
                        substitute.Append((string)groups[gi - 1]!);
                    }

                    position += gi.ToString(CultureInfo.InvariantCulture).Length;
                }
                else
                {
                    substitute.Append('$');
                }
            }

            index = replacement.IndexOf('$', position);
        }

        if (position < replacement.Length)
        {
            substitute.Append(replacement, position, replacement.Length - position);
        }

        return substitute.ToString();
    }

    private static int? ParseLeadingInt(string s, int start, int maxDigits)
    {
        var end = start;
        while (end < s.Length && end - start < maxDigits && char.IsAsciiDigit(s[end]))
        {
            end++;
        }

        return end == start ? null : int.Parse(s.AsSpan(start, end - start), CultureInfo.InvariantCulture);
    }

    private static object? Split(CallContext c, string? str, object? separator, object? limitArg)
    {
        if (str == null || separator == null)
        {
            return null;
        }

        if (limitArg is double l && l < 0)
        {
            throw Errors.Create("D3020", value: l);
        }

        var limit = limitArg is double ld ? (int)Math.Floor(ld) : int.MaxValue;
        var result = new JArray();
        if (limit == 0)
        {
            return result;
        }

        if (separator is string sep)
        {
            if (sep.Length == 0)
            {
                foreach (var ch in str)
                {
                    if (result.Count >= limit)
                    {
                        break;
                    }

                    result.Add(ch.ToString());
                }

                return result;
            }

            var start = 0;
            while (result.Count < limit)
            {
                var idx = str.IndexOf(sep, start, StringComparison.Ordinal);
                if (idx < 0)
                {
                    result.Add(str[start..]);
                    break;
                }

                result.Add(str[start..idx]);
                start = idx + sep.Length;
            }

            return result;
        }

        var count = 0;
        var position = 0;
        var any = false;
        foreach (var m in Matches(AsRegex(separator), str))
        {
            if (count >= limit)
            {
                break;
            }

            any = true;
            result.Add(str[position..m.Index]);
            position = m.Index + m.Length;
            count++;
        }

        if (!any)
        {
            result.Add(str);
        }
        else if (count < limit)
        {
            result.Add(str[position..]);
        }

        return result;
    }

    private static string? FormatBase(object? value, object? radixArg)
    {
        if (value is not double v)
        {
            return null;
        }

        v = Round(v, 0);
        var radix = radixArg is double r ? Round(r, 0) : 10;
        if (radix < 2 || radix > 36)
        {
            throw Errors.Create("D3100", value: radix);
        }

        var negative = v < 0;
        var n = (ulong)Math.Abs(v);
        if (n == 0)
        {
            return "0";
        }

        var sb = new StringBuilder();
        const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        while (n > 0)
        {
            sb.Insert(0, Digits[(int)(n % (ulong)radix)]);
            n /= (ulong)radix;
        }

        return negative ? "-" + sb : sb.ToString();
    }

    private static string Base64Decode(string s)
    {
        try
        {
            var bytes = Convert.FromBase64String(s);
            return new string(bytes.Select(b => (char)b).ToArray());
        }
        catch (FormatException)
        {
            return string.Empty;
        }
    }

    private static object? Eval(CallContext c, string? expr, object? focus, bool hasFocus)
    {
        if (expr == null)
        {
            return null;
        }

        var input = c.Input;
        if (hasFocus)
        {
            input = focus;
            if (input is JArray { Sequence: false } arr)
            {
                var wrapped = JArray.NewSequence(arr);
                wrapped.OuterWrapper = true;
                input = wrapped;
            }
        }

        Node ast;
        try
        {
            ast = Parser.Parse(expr);
        }
        catch (JsonataException e)
        {
            throw Errors.Create("D3120", -1, value: e.Message);
        }

        try
        {
            return Evaluator.Evaluate(ast, input, c.Environment);
        }
        catch (JsonataException e) when (e.Code is not ("U1001" or "U1002"))
        {
            throw Errors.Create("D3121", -1, value: e.Message);
        }
    }

    // ---- numbers ------------------------------------------------------------------------------

    private static object? Number(object? arg)
    {
        switch (arg)
        {
            case null:
                return null;
            case double d:
                return d;
            case bool b:
                return b ? 1d : 0d;
            case string s when JsonNumber().IsMatch(s):
            {
                var d = double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (double.IsFinite(d))
                {
                    return d;
                }

                break;
            }

            case string s when s.Length > 2 && s[0] == '0' && s[1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B':
            {
                var radix = s[1] switch
                {
                    'x' or 'X' => 16,
                    'o' or 'O' => 8,
                    _ => 2,
                };
                try
                {
                    return (double)Convert.ToUInt64(s[2..], radix);
                }
                catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
                {
                    break;
                }
            }
        }

        throw Errors.Create("D3030", value: arg);
    }

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$")]
    private static partial Regex JsonNumber();

    private static double JsRound(double x) => Math.Floor(x + 0.5);

    /// <summary>Round half to even at the given number of decimal places, shifting in decimal text like jsonata-js.</summary>
    public static double Round(double arg, int precision)
    {
        if (precision != 0)
        {
            arg = Shift(arg, precision);
        }

        var result = JsRound(arg);
        var diff = result - arg;
        if (Math.Abs(diff) == 0.5 && Math.Abs(result % 2) == 1)
        {
            result -= 1;
        }

        if (precision != 0)
        {
            result = Shift(result, -precision);
        }

        return result == 0 ? 0 : result;
    }

    private static double Shift(double value, int places)
    {
        var text = JsonText.FormatNumber(value);
        var e = text.IndexOf('e', StringComparison.Ordinal);
        var mantissa = e >= 0 ? text[..e] : text;
        var exponent = e >= 0 ? int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        return double.Parse(mantissa + "e" + (exponent + places).ToString(CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static object? Power(object? b, object? e)
    {
        if (b is not double x)
        {
            return null;
        }

        var y = (double)e!;
        var result = Math.Pow(x, y);
        if (!double.IsFinite(result))
        {
            throw Errors.Create("D3061", -1, value: x, exp: y);
        }

        return result;
    }

    // ---- arrays -------------------------------------------------------------------------------

    private static object? Reverse(JArray? arr)
    {
        if (arr == null)
        {
            return null;
        }

        if (arr.Count <= 1)
        {
            return arr;
        }

        var result = new JArray(arr);
        result.Reverse();
        return result;
    }

    private static object? Sort(CallContext c, JArray? arr, JsonataFunction? comparator)
    {
        if (arr == null)
        {
            return null;
        }

        if (arr.Count <= 1)
        {
            return arr;
        }

        if (comparator == null)
        {
            if (arr.TrueForAll(v => v is double))
            {
                return MergeSort(arr, (a, b) => (double)a! > (double)b!);
            }

            if (arr.TrueForAll(v => v is string))
            {
                return MergeSort(arr, (a, b) => string.CompareOrdinal((string)a!, (string)b!) > 0);
            }

            throw Errors.Create("D3070", value: arr);
        }

        return MergeSort(arr, (a, b) => ToBoolean(Call(c, comparator, [a, b])) == true);
    }

    private static object? Shuffle(JArray? arr)
    {
        if (arr == null)
        {
            return null;
        }

        if (arr.Count <= 1)
        {
            return arr;
        }

        var result = new JArray(arr);
        for (var i = result.Count - 1; i > 0; i--)
        {
            var j = Random.Shared.Next(i + 1);
            (result[i], result[j]) = (result[j], result[i]);
        }

        return result;
    }

    private static object? Distinct(object? arg)
    {
        if (arg is not JArray arr || arr.Count <= 1)
        {
            return arg;
        }

        var results = arr.Sequence ? JArray.NewSequence() : new JArray();
        foreach (var value in arr)
        {
            var found = false;
            foreach (var existing in results)
            {
                if (DeepEquals(value, existing))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                results.Add(value);
            }
        }

        return results;
    }

    private static object? Zip(object?[] args)
    {
        var result = new JArray();
        if (args.Length == 0)
        {
            return result;
        }

        var length = args.Min(a => a is JArray arr ? arr.Count : 0);
        for (var i = 0; i < length; i++)
        {
            var tuple = new JArray();
            foreach (var a in args.Cast<JArray>())
            {
                tuple.Add(a![i]);
            }

            result.Add(tuple);
        }

        return result;
    }

    // ---- objects ------------------------------------------------------------------------------

    private static JArray Keys(object? arg)
    {
        var result = JArray.NewSequence();
        if (arg is JArray arr)
        {
            var merged = new JObject();
            foreach (var item in arr)
            {
                foreach (var key in Keys(item))
                {
                    merged[(string)key!] = true;
                }
            }

            return Keys(merged);
        }

        if (arg is JObject obj)
        {
            foreach (var key in obj.Keys)
            {
                result.Add(key);
            }
        }

        return result;
    }

    private static object? Spread(object? arg)
    {
        if (arg is JArray arr)
        {
            object? result = JArray.NewSequence();
            foreach (var item in arr)
            {
                result = Append(result, Spread(item));
            }

            return result;
        }

        if (arg is JObject obj)
        {
            var result = JArray.NewSequence();
            foreach (var (k, v) in obj)
            {
                result.Add(new JObject { [k] = v });
            }

            return result;
        }

        return arg;
    }

    private static object? Merge(JArray? arr)
    {
        if (arr == null)
        {
            return null;
        }

        var result = new JObject();
        foreach (var obj in arr.Cast<JObject>())
        {
            foreach (var (k, v) in obj!)
            {
                result[k] = v;
            }
        }

        return result;
    }

    private static object? Each(CallContext c, JObject? obj, JsonataFunction func)
    {
        var result = JArray.NewSequence();
        if (obj == null)
        {
            return result;
        }

        foreach (var (k, v) in obj)
        {
            var val = Call(c, func, HofArgs(func, v, k, obj));
            if (val != null)
            {
                result.Add(val);
            }
        }

        return result;
    }

    private static object? Sift(CallContext c, JObject? obj, JsonataFunction func)
    {
        if (obj == null)
        {
            return null;
        }

        var result = new JObject();
        foreach (var (k, v) in obj)
        {
            if (ToBoolean(Call(c, func, HofArgs(func, v, k, obj))) == true)
            {
                result[k] = v;
            }
        }

        return result.Count == 0 ? null : result;
    }

    private static string? TypeOf(object? value) => value switch
    {
        null => null,
        JsonNull => "null",
        double => "number",
        string => "string",
        bool => "boolean",
        JArray => "array",
        JsonataFunction => "function",
        _ => "object",
    };

    // ---- higher-order -------------------------------------------------------------------------

    private static object? Map(CallContext c, JArray? arr, JsonataFunction func)
    {
        if (arr == null)
        {
            return null;
        }

        var result = JArray.NewSequence();
        for (var i = 0; i < arr.Count; i++)
        {
            var res = Call(c, func, HofArgs(func, arr[i], (double)i, arr));
            if (res != null)
            {
                result.Add(res);
            }
        }

        return result;
    }

    private static object? Filter(CallContext c, JArray? arr, JsonataFunction func)
    {
        if (arr == null)
        {
            return null;
        }

        var result = JArray.NewSequence();
        for (var i = 0; i < arr.Count; i++)
        {
            if (ToBoolean(Call(c, func, HofArgs(func, arr[i], (double)i, arr))) == true)
            {
                result.Add(arr[i]);
            }
        }

        return result;
    }

    private static object? Single(CallContext c, JArray? arr, JsonataFunction? func)
    {
        if (arr == null)
        {
            return null;
        }

        var found = false;
        object? result = null;
        for (var i = 0; i < arr.Count; i++)
        {
            var positive = func == null || ToBoolean(Call(c, func, HofArgs(func, arr[i], (double)i, arr))) == true;
            if (positive)
            {
                if (found)
                {
                    throw Errors.Create("D3138", index: i);
                }

                result = arr[i];
                found = true;
            }
        }

        if (!found)
        {
            throw Errors.Create("D3139");
        }

        return result;
    }

    private static object? Reduce(CallContext c, JArray? seq, JsonataFunction func, object? init)
    {
        if (seq == null)
        {
            return null;
        }

        var arity = func.Arity;
        if (arity < 2)
        {
            throw Errors.Create("D3050", index: 1);
        }

        object? result;
        int index;
        if (init == null && seq.Count > 0)
        {
            result = seq[0];
            index = 1;
        }
        else
        {
            result = init;
            index = 0;
        }

        while (index < seq.Count)
        {
            object?[] args = arity switch
            {
                >= 4 => [result, seq[index], (double)index, seq],
                3 => [result, seq[index], (double)index],
                _ => [result, seq[index]],
            };
            result = Call(c, func, args);
            index++;
        }

        return result;
    }
}
