using System.Globalization;
using System.Text;

namespace StockFlow.Jsonata;

/// <summary>$formatNumber: the XPath F&amp;O 3.1 format-number picture language, as jsonata-js implements it.</summary>
internal static class NumberFormatter
{
    private sealed class Parts
    {
        public string Prefix = string.Empty;
        public string Suffix = string.Empty;
        public string ActivePart = string.Empty;
        public string MantissaPart = string.Empty;
        public string? ExponentPart;
        public string IntegerPart = string.Empty;
        public string FractionalPart = string.Empty;
        public string SubPicture = string.Empty;
    }

    private sealed class Variables
    {
        public List<int> IntegerPartGroupingPositions = [];
        public int RegularGrouping;
        public int MinimumIntegerPartSize;
        public int ScalingFactor;
        public string Prefix = string.Empty;
        public List<int> FractionalPartGroupingPositions = [];
        public int MinimumFractionalPartSize;
        public int MaximumFractionalPartSize;
        public int MinimumExponentSize;
        public string Suffix = string.Empty;
        public string Picture = string.Empty;
    }

    public static string Format(double value, string picture, JObject? options)
    {
        var props = new Dictionary<string, string>
        {
            ["decimal-separator"] = ".",
            ["grouping-separator"] = ",",
            ["exponent-separator"] = "e",
            ["infinity"] = "Infinity",
            ["minus-sign"] = "-",
            ["NaN"] = "NaN",
            ["percent"] = "%",
            ["per-mille"] = "\u2030",
            ["zero-digit"] = "0",
            ["digit"] = "#",
            ["pattern-separator"] = ";",
        };
        if (options != null)
        {
            foreach (var (k, v) in options)
            {
                if (v is string s)
                {
                    props[k] = s;
                }
            }
        }

        var decimalSep = props["decimal-separator"];
        var groupingSep = props["grouping-separator"];
        var exponentSep = props["exponent-separator"];
        var percent = props["percent"];
        var perMille = props["per-mille"];
        var digit = props["digit"];
        var zeroDigit = props["zero-digit"];
        var family = new List<string>();
        for (var c = zeroDigit[0]; c < zeroDigit[0] + 10; c++)
        {
            family.Add(((char)c).ToString());
        }

        var active = new List<string>(family) { decimalSep, exponentSep, groupingSep, digit, props["pattern-separator"] };
        bool IsActive(char ch) => active.Contains(ch.ToString());
        bool IsDigit(char ch) => family.Contains(ch.ToString());

        var subPictures = picture.Split(props["pattern-separator"]);
        if (subPictures.Length > 2)
        {
            throw Errors.Create("D3080");
        }

        Parts SplitParts(string sub)
        {
            var prefixEnd = sub.Length;
            for (var ii = 0; ii < sub.Length; ii++)
            {
                if (IsActive(sub[ii]) && sub[ii].ToString() != exponentSep)
                {
                    prefixEnd = ii;
                    break;
                }
            }

            var suffixStart = sub.Length;
            for (var ii = sub.Length - 1; ii >= 0; ii--)
            {
                if (IsActive(sub[ii]) && sub[ii].ToString() != exponentSep)
                {
                    suffixStart = ii + 1;
                    break;
                }
            }

            var prefix = sub[..prefixEnd];
            var suffix = sub[suffixStart..];
            if (suffixStart == sub.Length && prefixEnd == sub.Length)
            {
                // no active character at all: jsonata-js takes the whole sub-picture as prefix, suffix and active part
                suffix = sub;
            }

            var activePart = JsSubstring(sub, prefix.Length, sub.Length - suffix.Length);
            var p = new Parts { Prefix = prefix, Suffix = suffix, ActivePart = activePart, SubPicture = sub };
            var exponentPosition = sub.IndexOf(exponentSep, prefix.Length, StringComparison.Ordinal);
            if (exponentPosition == -1 || exponentPosition > sub.Length - suffix.Length)
            {
                p.MantissaPart = activePart;
                p.ExponentPart = null;
            }
            else
            {
                var rel = exponentPosition - prefix.Length;
                p.MantissaPart = activePart[..Math.Min(rel, activePart.Length)];
                p.ExponentPart = rel + 1 <= activePart.Length ? activePart[(rel + 1)..] : string.Empty;
            }

            var decimalPosition = p.MantissaPart.IndexOf(decimalSep, StringComparison.Ordinal);
            if (decimalPosition == -1)
            {
                p.IntegerPart = p.MantissaPart;
                p.FractionalPart = suffix;
            }
            else
            {
                p.IntegerPart = p.MantissaPart[..decimalPosition];
                p.FractionalPart = p.MantissaPart[(decimalPosition + 1)..];
            }

            return p;
        }

        void Validate(Parts parts)
        {
            string? error = null;
            var sub = parts.SubPicture;
            var decimalPos = sub.IndexOf(decimalSep, StringComparison.Ordinal);
            if (decimalPos != sub.LastIndexOf(decimalSep, StringComparison.Ordinal))
            {
                error = "D3081";
            }

            if (sub.IndexOf(percent, StringComparison.Ordinal) != sub.LastIndexOf(percent, StringComparison.Ordinal))
            {
                error = "D3082";
            }

            if (sub.IndexOf(perMille, StringComparison.Ordinal) != sub.LastIndexOf(perMille, StringComparison.Ordinal))
            {
                error = "D3083";
            }

            if (sub.Contains(percent, StringComparison.Ordinal) && sub.Contains(perMille, StringComparison.Ordinal))
            {
                error = "D3084";
            }

            if (!parts.MantissaPart.Any(ch => IsDigit(ch) || ch.ToString() == digit))
            {
                error = "D3085";
            }

            if (parts.ActivePart.Any(ch => !IsActive(ch)))
            {
                error = "D3086";
            }

            if (decimalPos != -1)
            {
                if ((decimalPos > 0 && sub[decimalPos - 1].ToString() == groupingSep) ||
                    (decimalPos + 1 < sub.Length && sub[decimalPos + 1].ToString() == groupingSep))
                {
                    error = "D3087";
                }
            }
            else if (parts.IntegerPart.Length > 0 && parts.IntegerPart[^1].ToString() == groupingSep)
            {
                error = "D3088";
            }

            if (sub.Contains(groupingSep + groupingSep, StringComparison.Ordinal))
            {
                error = "D3089";
            }

            var optionalDigitPos = parts.IntegerPart.IndexOf(digit, StringComparison.Ordinal);
            if (optionalDigitPos != -1 && parts.IntegerPart[..optionalDigitPos].Any(IsDigit))
            {
                error = "D3090";
            }

            optionalDigitPos = parts.FractionalPart.LastIndexOf(digit, StringComparison.Ordinal);
            if (optionalDigitPos != -1 && parts.FractionalPart[optionalDigitPos..].Any(IsDigit))
            {
                error = "D3091";
            }

            var exponentExists = parts.ExponentPart != null;
            if (exponentExists && parts.ExponentPart!.Length > 0 && (sub.Contains(percent, StringComparison.Ordinal) || sub.Contains(perMille, StringComparison.Ordinal)))
            {
                error = "D3092";
            }

            if (exponentExists && (parts.ExponentPart!.Length == 0 || parts.ExponentPart.Any(ch => !IsDigit(ch))))
            {
                error = "D3093";
            }

            if (error != null)
            {
                throw Errors.Create(error);
            }
        }

        Variables Analyse(Parts parts)
        {
            List<int> GroupingPositions(string part, bool toLeft)
            {
                var positions = new List<int>();
                var groupingPosition = part.IndexOf(groupingSep, StringComparison.Ordinal);
                while (groupingPosition != -1)
                {
                    var segment = toLeft ? part[..groupingPosition] : part[groupingPosition..];
                    positions.Add(segment.Count(ch => IsDigit(ch) || ch.ToString() == digit));
                    groupingPosition = part.IndexOf(groupingSep, groupingPosition + 1, StringComparison.Ordinal);
                }

                return positions;
            }

            var integerPositions = GroupingPositions(parts.IntegerPart, false);
            var v = new Variables
            {
                IntegerPartGroupingPositions = integerPositions,
                RegularGrouping = Regular(integerPositions),
                FractionalPartGroupingPositions = GroupingPositions(parts.FractionalPart, true),
                Prefix = parts.Prefix,
                Suffix = parts.Suffix,
                Picture = parts.SubPicture,
            };
            v.MinimumIntegerPartSize = parts.IntegerPart.Count(IsDigit);
            v.ScalingFactor = v.MinimumIntegerPartSize;
            v.MinimumFractionalPartSize = parts.FractionalPart.Count(IsDigit);
            v.MaximumFractionalPartSize = parts.FractionalPart.Count(ch => IsDigit(ch) || ch.ToString() == digit);
            var exponentPresent = parts.ExponentPart != null;
            if (v.MinimumIntegerPartSize == 0 && v.MaximumFractionalPartSize == 0)
            {
                if (exponentPresent)
                {
                    v.MinimumFractionalPartSize = 1;
                    v.MaximumFractionalPartSize = 1;
                }
                else
                {
                    v.MinimumIntegerPartSize = 1;
                }
            }

            if (exponentPresent && v.MinimumIntegerPartSize == 0 && parts.IntegerPart.Contains(digit, StringComparison.Ordinal))
            {
                v.MinimumIntegerPartSize = 1;
            }

            if (v.MinimumIntegerPartSize == 0 && v.MinimumFractionalPartSize == 0)
            {
                v.MinimumFractionalPartSize = 1;
            }

            if (exponentPresent)
            {
                v.MinimumExponentSize = parts.ExponentPart!.Count(IsDigit);
            }

            return v;
        }

        var allParts = subPictures.Select(SplitParts).ToList();
        allParts.ForEach(Validate);
        var variables = allParts.Select(Analyse).ToList();
        var minusSign = props["minus-sign"];
        if (variables.Count == 1)
        {
            var first = variables[0];
            variables.Add(new Variables
            {
                IntegerPartGroupingPositions = [.. first.IntegerPartGroupingPositions],
                RegularGrouping = first.RegularGrouping,
                MinimumIntegerPartSize = first.MinimumIntegerPartSize,
                ScalingFactor = first.ScalingFactor,
                Prefix = minusSign + first.Prefix,
                FractionalPartGroupingPositions = [.. first.FractionalPartGroupingPositions],
                MinimumFractionalPartSize = first.MinimumFractionalPartSize,
                MaximumFractionalPartSize = first.MaximumFractionalPartSize,
                MinimumExponentSize = first.MinimumExponentSize,
                Suffix = first.Suffix,
                Picture = first.Picture,
            });
        }

        var pic = value >= 0 ? variables[0] : variables[1];
        double adjusted;
        if (pic.Picture.Contains(percent, StringComparison.Ordinal))
        {
            adjusted = value * 100;
        }
        else if (pic.Picture.Contains(perMille, StringComparison.Ordinal))
        {
            adjusted = value * 1000;
        }
        else
        {
            adjusted = value;
        }

        double mantissa;
        int? exponent = null;
        if (pic.MinimumExponentSize == 0)
        {
            mantissa = adjusted;
        }
        else
        {
            var maxMantissa = Math.Pow(10, pic.ScalingFactor);
            var minMantissa = Math.Pow(10, pic.ScalingFactor - 1);
            mantissa = adjusted;
            var e = 0;

            // zero has no exponent to find (0 is printed as 0e0); a negative number's sign is printed by the sub-picture
            while (mantissa != 0 && Math.Abs(mantissa) < minMantissa)
            {
                mantissa *= 10;
                e--;
            }

            while (Math.Abs(mantissa) > maxMantissa)
            {
                mantissa /= 10;
                e++;
            }

            exponent = e;
        }

        var rounded = Builtins.Round(mantissa, pic.MaximumFractionalPartSize);
        string MakeString(double v, int dp)
        {
            var str = Math.Abs(v).ToString("F" + dp.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (zeroDigit != "0")
            {
                var sb = new StringBuilder();
                foreach (var ch in str)
                {
                    sb.Append(ch is >= '0' and <= '9' ? family[ch - '0'] : ch.ToString());
                }

                str = sb.ToString();
            }

            return str;
        }

        var stringValue = MakeString(rounded, pic.MaximumFractionalPartSize);
        var dot = stringValue.IndexOf('.', StringComparison.Ordinal);
        stringValue = dot == -1 ? stringValue + decimalSep : stringValue[..dot] + decimalSep + stringValue[(dot + 1)..];
        while (stringValue.StartsWith(zeroDigit, StringComparison.Ordinal))
        {
            stringValue = stringValue[zeroDigit.Length..];
        }

        while (stringValue.EndsWith(zeroDigit, StringComparison.Ordinal))
        {
            stringValue = stringValue[..^zeroDigit.Length];
        }

        var decimalPos = stringValue.IndexOf(decimalSep, StringComparison.Ordinal);
        var padLeft = pic.MinimumIntegerPartSize - decimalPos;
        var padRight = pic.MinimumFractionalPartSize - (stringValue.Length - decimalPos - 1);
        stringValue = (padLeft > 0 ? Repeat(zeroDigit, padLeft) : string.Empty) + stringValue;
        stringValue += padRight > 0 ? Repeat(zeroDigit, padRight) : string.Empty;
        decimalPos = stringValue.IndexOf(decimalSep, StringComparison.Ordinal);
        if (pic.RegularGrouping > 0)
        {
            var groupCount = (decimalPos - 1) / pic.RegularGrouping;
            for (var group = 1; group <= groupCount; group++)
            {
                var at = decimalPos - (group * pic.RegularGrouping);
                stringValue = JsSlice(stringValue, 0, at) + groupingSep + JsSlice(stringValue, at, null);
            }
        }
        else
        {
            foreach (var pos in pic.IntegerPartGroupingPositions)
            {
                var at = decimalPos - pos;
                stringValue = JsSlice(stringValue, 0, at) + groupingSep + JsSlice(stringValue, at, null);
                decimalPos++;
            }
        }

        decimalPos = stringValue.IndexOf(decimalSep, StringComparison.Ordinal);
        foreach (var pos in pic.FractionalPartGroupingPositions)
        {
            var at = pos + decimalPos + 1;
            stringValue = JsSlice(stringValue, 0, at) + groupingSep + JsSlice(stringValue, at, null);
        }

        decimalPos = stringValue.IndexOf(decimalSep, StringComparison.Ordinal);
        if (decimalPos == stringValue.Length - decimalSep.Length)
        {
            stringValue = stringValue[..^decimalSep.Length];
        }

        if (exponent is int ex)
        {
            var stringExponent = MakeString(ex, 0);
            var pad = pic.MinimumExponentSize - stringExponent.Length;
            if (pad > 0)
            {
                stringExponent = Repeat(zeroDigit, pad) + stringExponent;
            }

            stringValue = stringValue + exponentSep + (ex < 0 ? minusSign : string.Empty) + stringExponent;
        }

        return pic.Prefix + stringValue + pic.Suffix;
    }

    /// <summary>String.prototype.slice: negative indexes count from the end.</summary>
    private static string JsSlice(string s, int start, int? end)
    {
        var len = s.Length;
        var from = start < 0 ? Math.Max(len + start, 0) : Math.Min(start, len);
        var to = end is int e ? (e < 0 ? Math.Max(len + e, 0) : Math.Min(e, len)) : len;
        return to > from ? s[from..to] : string.Empty;
    }

    /// <summary>String.prototype.substring: indexes clamp to the string and swap when reversed.</summary>
    private static string JsSubstring(string s, int a, int b)
    {
        a = Math.Clamp(a, 0, s.Length);
        b = Math.Clamp(b, 0, s.Length);
        if (a > b)
        {
            (a, b) = (b, a);
        }

        return s[a..b];
    }

    private static string Repeat(string s, int n) => string.Concat(Enumerable.Repeat(s, n));

    internal static int Regular(List<int> indexes)
    {
        if (indexes.Count == 0)
        {
            return 0;
        }

        static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
        var factor = indexes.Aggregate(Gcd);
        for (var index = 1; index <= indexes.Count; index++)
        {
            if (!indexes.Contains(index * factor))
            {
                return 0;
            }
        }

        return factor;
    }
}
