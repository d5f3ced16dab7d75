using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace StockFlow.Jsonata;

/// <summary>$fromMillis / $toMillis / $now: XPath date/time picture strings, as jsonata-js implements them.</summary>
internal static partial class DateTimeFormatter
{
    private const string IsoPicture = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";
    private const long MillisInADay = 86_400_000;

    private static readonly string[] Months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly string[] Days = [string.Empty, "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    private static readonly Dictionary<char, string> DefaultPresentation = new()
    {
        ['Y'] = "1", ['M'] = "1", ['D'] = "1", ['d'] = "1", ['F'] = "n", ['W'] = "1", ['w'] = "1", ['X'] = "1", ['x'] = "1",
        ['H'] = "1", ['h'] = "1", ['P'] = "n", ['m'] = "01", ['s'] = "01", ['f'] = "1", ['Z'] = "01:01", ['z'] = "01:01",
        ['C'] = "n", ['E'] = "n",
    };

    private sealed class Marker
    {
        public bool IsLiteral { get; init; }

        public string Literal { get; init; } = string.Empty;

        public char Component { get; set; }

        public string Presentation1 { get; set; } = string.Empty;

        public char? Presentation2 { get; set; }

        public int? WidthMin { get; set; }

        public int? WidthMax { get; set; }

        public IntegerFormatter.Case? Names { get; set; }

        public IntegerFormatter.Spec? IntegerFormat { get; set; }

        public int N { get; set; } = -1;
    }

    private static readonly List<Marker> IsoSpec = Analyse(IsoPicture);

    private static List<Marker> Analyse(string picture)
    {
        var spec = new List<Marker>();
        void AddLiteral(int start, int end)
        {
            if (end > start)
            {
                spec.Add(new Marker { IsLiteral = true, Literal = picture[start..end].Replace("]]", "]", StringComparison.Ordinal) });
            }
        }

        var start = 0;
        var pos = 0;
        while (pos < picture.Length)
        {
            if (picture[pos] == '[')
            {
                if (pos + 1 < picture.Length && picture[pos + 1] == '[')
                {
                    AddLiteral(start, pos);
                    spec.Add(new Marker { IsLiteral = true, Literal = "[" });
                    pos += 2;
                    start = pos;
                    continue;
                }

                AddLiteral(start, pos);
                start = pos;
                pos = picture.IndexOf(']', start);
                if (pos == -1)
                {
                    throw Errors.Create("D3135");
                }

                var marker = Whitespace().Replace(picture.Substring(start + 1, pos - start - 1), string.Empty);
                var def = new Marker { Component = marker.Length > 0 ? marker[0] : ' ' };
                var comma = marker.LastIndexOf(',');
                string presMod;
                if (comma != -1)
                {
                    var widthMod = marker[(comma + 1)..];
                    var dash = widthMod.IndexOf('-', StringComparison.Ordinal);
                    string min;
                    string? max = null;
                    if (dash == -1)
                    {
                        min = widthMod;
                    }
                    else
                    {
                        min = widthMod[..dash];
                        max = widthMod[(dash + 1)..];
                    }

                    def.WidthMin = ParseWidth(min);
                    def.WidthMax = ParseWidth(max);
                    presMod = marker[1..comma];
                }
                else
                {
                    presMod = marker.Length > 0 ? marker[1..] : string.Empty;
                }

                if (presMod.Length == 1)
                {
                    def.Presentation1 = presMod;
                }
                else if (presMod.Length > 1)
                {
                    var lastChar = presMod[^1];
                    if ("atco".Contains(lastChar, StringComparison.Ordinal))
                    {
                        def.Presentation2 = lastChar;
                        def.Presentation1 = presMod[..^1];
                    }
                    else
                    {
                        def.Presentation1 = presMod;
                    }
                }
                else
                {
                    if (!DefaultPresentation.TryGetValue(def.Component, out var dp))
                    {
                        throw Errors.Create("D3132", value: def.Component.ToString());
                    }

                    def.Presentation1 = dp;
                }

                if (!DefaultPresentation.ContainsKey(def.Component))
                {
                    throw Errors.Create("D3132", value: def.Component.ToString());
                }

                if (def.Presentation1[0] == 'n')
                {
                    def.Names = IntegerFormatter.Case.Lower;
                }
                else if (def.Presentation1[0] == 'N')
                {
                    def.Names = def.Presentation1.Length > 1 && def.Presentation1[1] == 'n' ? IntegerFormatter.Case.Title : IntegerFormatter.Case.Upper;
                }
                else if ("YMDdFWwXxHhmsf".Contains(def.Component, StringComparison.Ordinal))
                {
                    var integerPattern = def.Presentation1;
                    if (def.Presentation2 != null)
                    {
                        integerPattern += ";" + def.Presentation2;
                    }

                    def.IntegerFormat = IntegerFormatter.Analyse(integerPattern);
                    if (def.WidthMin is int wmin && def.IntegerFormat.MandatoryDigits < wmin)
                    {
                        def.IntegerFormat.MandatoryDigits = wmin;
                    }

                    if (def.Component == 'Y')
                    {
                        def.N = -1;
                        if (def.WidthMax is int wmax)
                        {
                            def.N = wmax;
                            def.IntegerFormat.MandatoryDigits = wmax;
                        }
                        else
                        {
                            var w = def.IntegerFormat.MandatoryDigits + def.IntegerFormat.OptionalDigits;
                            if (w >= 2)
                            {
                                def.N = w;
                            }
                        }
                    }
                }

                if (def.Component is 'Z' or 'z')
                {
                    def.IntegerFormat = IntegerFormatter.Analyse(def.Presentation1);
                }

                spec.Add(def);
                start = pos + 1;
            }

            pos++;
        }

        AddLiteral(start, pos);
        return spec;
    }

    private static int? ParseWidth(string? wm)
    {
        if (wm == null || wm == "*")
        {
            return null;
        }

        var digits = new string(wm.TakeWhile(char.IsAsciiDigit).ToArray());
        return digits.Length == 0 ? null : int.Parse(digits, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    public static string FromMillis(double millis, string? picture, string? timezone)
    {
        var offsetHours = 0;
        var offsetMinutes = 0;
        if (timezone != null)
        {
            var offset = ParseJsInt(timezone);
            offsetHours = (int)Math.Floor(offset / 100.0);
            offsetMinutes = offset % 100;
        }

        var spec = picture == null ? IsoSpec : Analyse(picture);
        var offsetMillis = ((60 * offsetHours) + offsetMinutes) * 60 * 1000;
        var date = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(millis) + offsetMillis).UtcDateTime;
        var sb = new StringBuilder();
        foreach (var part in spec)
        {
            sb.Append(part.IsLiteral ? part.Literal : FormatComponent(date, part, offsetHours, offsetMinutes));
        }

        return sb.ToString();
    }

    private static int ParseJsInt(string s)
    {
        var m = Regex.Match(s.Trim(), "^[+-]?[0-9]+");
        return m.Success ? int.Parse(m.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
    }

    private static string FormatComponent(DateTime date, Marker marker, int offsetHours, int offsetMinutes)
    {
        var component = marker.Component;
        if ("YMDdFWwXxHhms".Contains(component, StringComparison.Ordinal))
        {
            var value = Fragment(date, component);
            if (component == 'Y' && marker.N != -1)
            {
                value %= (int)Math.Pow(10, marker.N);
            }

            if (marker.Names != null)
            {
                string name;
                if (component is 'M' or 'x')
                {
                    name = Months[value - 1];
                }
                else if (component == 'F')
                {
                    name = Days[value];
                }
                else
                {
                    throw Errors.Create("D3133", value: component.ToString());
                }

                if (marker.Names == IntegerFormatter.Case.Upper)
                {
                    name = name.ToUpperInvariant();
                }
                else if (marker.Names == IntegerFormatter.Case.Lower)
                {
                    name = name.ToLowerInvariant();
                }

                if (marker.WidthMax is int max && name.Length > max)
                {
                    name = name[..max];
                }

                return name;
            }

            return IntegerFormatter.Format(value, marker.IntegerFormat!);
        }

        switch (component)
        {
            case 'f':
                return IntegerFormatter.Format(date.Millisecond, marker.IntegerFormat!);
            case 'Z' or 'z':
            {
                var offset = (offsetHours * 100) + offsetMinutes;
                string result;
                var format = marker.IntegerFormat!;
                if (format.Regular)
                {
                    result = IntegerFormatter.Format(offset, format);
                }
                else
                {
                    var numDigits = format.MandatoryDigits;
                    if (numDigits is 1 or 2)
                    {
                        result = IntegerFormatter.Format(offsetHours, format);
                        if (offsetMinutes != 0)
                        {
                            result += ":" + IntegerFormatter.Format(offsetMinutes, "00");
                        }
                    }
                    else if (numDigits is 3 or 4)
                    {
                        result = IntegerFormatter.Format(offset, format);
                    }
                    else
                    {
                        throw Errors.Create("D3134", value: (double)numDigits);
                    }
                }

                if (offset >= 0)
                {
                    result = "+" + result;
                }

                if (component == 'z')
                {
                    result = "GMT" + result;
                }

                if (offset == 0 && marker.Presentation2 == 't')
                {
                    result = "Z";
                }

                return result;
            }

            case 'P':
            {
                var ampm = date.Hour >= 12 ? "pm" : "am";
                return marker.Names == IntegerFormatter.Case.Upper ? ampm.ToUpperInvariant() : ampm;
            }

            case 'C' or 'E':
                return "ISO";
            default:
                throw Errors.Create("D3132", value: component.ToString());
        }
    }

    private static long StartOfFirstWeek(int year, int month)
    {
        var first = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var day = (int)new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Utc).DayOfWeek;
        if (day == 0)
        {
            day = 7;
        }

        return day > 4 ? first + ((8 - day) * MillisInADay) : first - ((day - 1) * MillisInADay);
    }

    private static long DeltaWeeks(long start, long end) => (long)Math.Floor((end - start) / (double)(MillisInADay * 7));

    private static int Fragment(DateTime date, char component)
    {
        var now = new DateTimeOffset(date, TimeSpan.Zero).ToUnixTimeMilliseconds();
        switch (component)
        {
            case 'Y':
                return date.Year;
            case 'M':
                return date.Month;
            case 'D':
                return date.Day;
            case 'd':
                return date.DayOfYear;
            case 'F':
            {
                var d = (int)date.DayOfWeek;
                return d == 0 ? 7 : d;
            }

            case 'H':
                return date.Hour;
            case 'h':
            {
                var h = date.Hour % 12;
                return h == 0 ? 12 : h;
            }

            case 'm':
                return date.Minute;
            case 's':
                return date.Second;
            case 'W' or 'X':
            {
                var year = date.Year;
                var startOfWeek1 = StartOfFirstWeek(year, 1);
                var endOfWeek1 = StartOfFirstWeek(year + 1, 1);
                if (DeltaWeeks(startOfWeek1, now) < 0)
                {
                    return component == 'W' ? (int)DeltaWeeks(StartOfFirstWeek(year - 1, 1), now) + 1 : year - 1;
                }

                if (DeltaWeeks(endOfWeek1, now) >= 0)
                {
                    return component == 'W' ? 1 : year + 1;
                }

                return component == 'W' ? (int)DeltaWeeks(startOfWeek1, now) + 1 : year;
            }

            case 'w' or 'x':
            {
                var (year, month) = (date.Year, date.Month);
                var (nextYear, nextMonth) = month == 12 ? (year + 1, 1) : (year, month + 1);
                var (prevYear, prevMonth) = month == 1 ? (year - 1, 12) : (year, month - 1);
                var startOfWeek1 = StartOfFirstWeek(year, month);
                var endOfWeek1 = StartOfFirstWeek(nextYear, nextMonth);
                if (DeltaWeeks(startOfWeek1, now) < 0)
                {
                    return component == 'w' ? (int)DeltaWeeks(StartOfFirstWeek(prevYear, prevMonth), now) + 1 : prevMonth;
                }

                if (DeltaWeeks(endOfWeek1, now) >= 0)
                {
                    return component == 'w' ? 1 : nextMonth;
                }

                return component == 'w' ? (int)DeltaWeeks(startOfWeek1, now) + 1 : month;
            }

            default:
                return 0;
        }
    }

    [GeneratedRegex(@"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$")]
    private static partial Regex Iso8601();

    public static object? ToMillis(string timestamp, string? picture)
    {
        if (picture == null)
        {
            var m = Iso8601().Match(timestamp);
            if (!m.Success)
            {
                throw Errors.Create("D3110", value: timestamp);
            }

            int G(int i, int dflt) => m.Groups[i].Success ? int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture) : dflt;
            var fraction = m.Groups[7].Success ? double.Parse("0." + m.Groups[7].Value, CultureInfo.InvariantCulture) : 0;
            var offsetMinutes = 0;
            if (m.Groups[8].Success && m.Groups[8].Value != "Z")
            {
                var tz = m.Groups[8].Value.Replace(":", string.Empty, StringComparison.Ordinal);
                var sign = tz[0] == '-' ? -1 : 1;
                offsetMinutes = sign * ((int.Parse(tz.AsSpan(1, 2), CultureInfo.InvariantCulture) * 60) + int.Parse(tz.AsSpan(3, 2), CultureInfo.InvariantCulture));
            }

            try
            {
                var dt = new DateTimeOffset(G(1, 0), G(2, 1), G(3, 1), G(4, 0), G(5, 0), G(6, 0), TimeSpan.Zero);
                return (double)(dt.ToUnixTimeMilliseconds() + (long)Math.Floor(fraction * 1000) - (offsetMinutes * 60_000L));
            }
            catch (ArgumentOutOfRangeException)
            {
                return null;
            }
        }

        return ParseWithPicture(timestamp, picture);
    }

    private static object? ParseWithPicture(string timestamp, string picture)
    {
        var spec = Analyse(picture);
        var regex = new StringBuilder("^");
        var captures = new List<Marker>();
        for (var i = 0; i < spec.Count; i++)
        {
            var part = spec[i];
            if (part.IsLiteral)
            {
                regex.Append(Regex.Escape(part.Literal));
                continue;
            }

            var nextIsMarker = i + 1 < spec.Count && !spec[i + 1].IsLiteral;
            captures.Add(part);
            regex.Append('(').Append(MarkerRegex(part, nextIsMarker)).Append(')');
        }

        regex.Append('$');
        var m = Regex.Match(timestamp, regex.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        if (!m.Success)
        {
            return null;
        }

        var values = new Dictionary<char, int>();
        var pm = (bool?)null;
        var offsetMinutes = 0;
        for (var i = 0; i < captures.Count; i++)
        {
            var part = captures[i];
            var text = m.Groups[i + 1].Value;
            switch (part.Component)
            {
                case 'P':
                    pm = text.Equals("pm", StringComparison.OrdinalIgnoreCase);
                    break;
                case 'Z' or 'z':
                    offsetMinutes = ParseOffset(text);
                    break;
                case 'M' or 'x' when part.Names != null:
                    values['M'] = Array.FindIndex(Months, mo => mo.StartsWith(text, StringComparison.OrdinalIgnoreCase) && text.Length >= 3) + 1;
                    break;
                case 'F' when part.Names != null:
                    values['F'] = Array.FindIndex(Days, d => d.Length > 0 && d.StartsWith(text, StringComparison.OrdinalIgnoreCase));
                    break;
                default:
                    if (part.IntegerFormat != null)
                    {
                        var stripped = part.IntegerFormat.Ordinal ? Regex.Replace(text, "(st|nd|rd|th)$", string.Empty) : text;
                        var v = IntegerFormatter.Parse(stripped, part.IntegerFormat);
                        if (v is double d && !double.IsNaN(d))
                        {
                            values[part.Component] = (int)d;
                        }
                    }

                    break;
            }
        }

        if (values.TryGetValue('h', out var h12))
        {
            values['H'] = (h12 % 12) + (pm == true ? 12 : 0);
        }

        // components absent on the left default to now, absent on the right to their minimum; a gap is an error
        var now = DateTime.UtcNow;
        var order = values.ContainsKey('d') ? "YdHmsf" : "YMDHmsf";
        var present = order.Select(values.ContainsKey).ToArray();
        var firstPresent = Array.IndexOf(present, true);
        var lastPresent = Array.LastIndexOf(present, true);
        if (firstPresent < 0)
        {
            throw Errors.Create("D3136");
        }

        for (var i = firstPresent; i <= lastPresent; i++)
        {
            if (!present[i])
            {
                throw Errors.Create("D3136");
            }
        }

        int Get(char c, int index, int nowValue, int minimum) =>
            values.TryGetValue(c, out var v) ? v : (index < firstPresent ? nowValue : minimum);

        DateTime dt;
        try
        {
            if (order[1] == 'd')
            {
                var year = Get('Y', 0, now.Year, 0);
                dt = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(Get('d', 1, now.DayOfYear, 1) - 1);
                dt = dt.AddHours(Get('H', 2, now.Hour, 0)).AddMinutes(Get('m', 3, now.Minute, 0)).AddSeconds(Get('s', 4, now.Second, 0))
                    .AddMilliseconds(Get('f', 5, now.Millisecond, 0));
            }
            else
            {
                dt = new DateTime(Get('Y', 0, now.Year, 0), Get('M', 1, now.Month, 1), Get('D', 2, now.Day, 1), 0, 0, 0, DateTimeKind.Utc);
                dt = dt.AddHours(Get('H', 3, now.Hour, 0)).AddMinutes(Get('m', 4, now.Minute, 0)).AddSeconds(Get('s', 5, now.Second, 0))
                    .AddMilliseconds(Get('f', 6, now.Millisecond, 0));
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }

        return (double)(new DateTimeOffset(dt, TimeSpan.Zero).ToUnixTimeMilliseconds() - (offsetMinutes * 60_000L));
    }

    private static int ParseOffset(string text)
    {
        if (text.Equals("Z", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        var t = text.StartsWith("GMT", StringComparison.OrdinalIgnoreCase) ? text[3..] : text;
        var sign = t.StartsWith('-') ? -1 : 1;
        var digits = new string(t.Where(char.IsAsciiDigit).ToArray());
        int hours;
        int minutes;
        if (t.Contains(':', StringComparison.Ordinal))
        {
            var parts = t.TrimStart('+', '-').Split(':');
            hours = int.Parse(parts[0], CultureInfo.InvariantCulture);
            minutes = int.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        else if (digits.Length <= 2)
        {
            hours = int.Parse(digits, CultureInfo.InvariantCulture);
            minutes = 0;
        }
        else
        {
            hours = int.Parse(digits[..^2], CultureInfo.InvariantCulture);
            minutes = int.Parse(digits[^2..], CultureInfo.InvariantCulture);
        }

        return sign * ((hours * 60) + minutes);
    }

    private static string MarkerRegex(Marker part, bool fixedWidth)
    {
        if (part.Names != null)
        {
            return part.Component switch
            {
                'M' or 'x' => "[a-zA-Z]+",
                'F' => "[a-zA-Z]+",
                'P' => "[ap]m",
                _ => "[a-zA-Z]+",
            };
        }

        switch (part.Component)
        {
            case 'P':
                return "[ap]m";
            case 'Z':
                return @"Z|[+-][0-9]{1,2}(?::?[0-9]{2})?";
            case 'z':
                return @"GMT[+-][0-9]{1,2}(?::?[0-9]{2})?";
        }

        var format = part.IntegerFormat;
        if (format == null)
        {
            return ".+?";
        }

        switch (format.Primary)
        {
            case IntegerFormatter.Primary.Letters:
                return format.Case == IntegerFormatter.Case.Upper ? "[A-Z]+" : "[a-z]+";
            case IntegerFormatter.Primary.Roman:
                return format.Case == IntegerFormatter.Case.Upper ? "[MDCLXVI]+" : "[mdclxvi]+";
            case IntegerFormatter.Primary.Words:
                return @"[a-zA-Z, \-]+?";
            default:
                var digits = fixedWidth && format.MandatoryDigits > 0 ? "[0-9]{" + format.MandatoryDigits.ToString(CultureInfo.InvariantCulture) + "}" : "[0-9]+";
                return format.Ordinal ? digits + "(?:st|nd|rd|th)" : digits;
        }
    }
}
