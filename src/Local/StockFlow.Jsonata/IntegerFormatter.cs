using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace StockFlow.Jsonata;

/// <summary>$formatInteger / $parseInteger: XPath format-integer pictures (decimal patterns, words, roman, letters).</summary>
internal static class IntegerFormatter
{
    internal enum Primary
    {
        Decimal,
        Letters,
        Roman,
        Words,
        Sequence,
    }

    internal enum Case
    {
        Lower,
        Upper,
        Title,
    }

    internal sealed class Spec
    {
        public Primary Primary { get; set; } = Primary.Decimal;

        public Case Case { get; set; } = Case.Lower;

        public bool Ordinal { get; set; }

        public int ZeroCode { get; set; } = '0';

        public int MandatoryDigits { get; set; }

        public int OptionalDigits { get; set; }

        public bool Regular { get; set; }

        public int RegularPosition { get; set; }

        public string RegularCharacter { get; set; } = string.Empty;

        public List<(int Position, string Character)> Separators { get; set; } = [];

        public string Token { get; set; } = string.Empty;
    }

    private static readonly int[] DecimalGroups =
    [
        0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6,
        0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40,
        0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    ];

    private static readonly string[] Few =
    [
        "Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve",
        "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen",
    ];

    private static readonly string[] Ordinals =
    [
        "Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
        "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth",
    ];

    private static readonly string[] Decades = ["Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"];
    private static readonly string[] OrdinalTens = ["Twentieth", "Thirtieth", "Fortieth", "Fiftieth", "Sixtieth", "Seventieth", "Eightieth", "Ninetieth", "Hundredth"];
    private static readonly string[] Magnitudes = ["Thousand", "Million", "Billion", "Trillion"];

    private static readonly (int Value, string Letters)[] RomanNumerals =
    [
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ];

    private static readonly Dictionary<string, double> WordValues = BuildWordValues();

    public static string Format(double value, string picture) => Format(Math.Floor(value), Analyse(picture));

    public static Spec Analyse(string picture)
    {
        var format = new Spec();
        string primaryFormat;
        var semicolon = picture.LastIndexOf(';');
        if (semicolon == -1)
        {
            primaryFormat = picture;
        }
        else
        {
            primaryFormat = picture[..semicolon];
            var modifier = picture[(semicolon + 1)..];
            if (modifier.StartsWith('o'))
            {
                format.Ordinal = true;
            }
        }

        switch (primaryFormat)
        {
            case "A":
                format.Case = Case.Upper;
                format.Primary = Primary.Letters;
                break;
            case "a":
                format.Primary = Primary.Letters;
                break;
            case "I":
                format.Case = Case.Upper;
                format.Primary = Primary.Roman;
                break;
            case "i":
                format.Primary = Primary.Roman;
                break;
            case "W":
                format.Case = Case.Upper;
                format.Primary = Primary.Words;
                break;
            case "Ww":
                format.Case = Case.Title;
                format.Primary = Primary.Words;
                break;
            case "w":
                format.Primary = Primary.Words;
                break;
            default:
            {
                int? zeroCode = null;
                var mandatory = 0;
                var optional = 0;
                var separators = new List<(int, string)>();
                var separatorPosition = 0;
                var codePoints = new List<int>();
                for (var i = 0; i < primaryFormat.Length; i++)
                {
                    var cp = char.ConvertToUtf32(primaryFormat, i);
                    if (cp > 0xFFFF)
                    {
                        i++;
                    }

                    codePoints.Add(cp);
                }

                codePoints.Reverse();
                foreach (var cp in codePoints)
                {
                    var isDigit = false;
                    foreach (var group in DecimalGroups)
                    {
                        if (cp >= group && cp <= group + 9)
                        {
                            isDigit = true;
                            mandatory++;
                            separatorPosition++;
                            if (zeroCode == null)
                            {
                                zeroCode = group;
                            }
                            else if (group != zeroCode)
                            {
                                throw Errors.Create("D3131");
                            }

                            break;
                        }
                    }

                    if (!isDigit)
                    {
                        if (cp == '#')
                        {
                            separatorPosition++;
                            optional++;
                        }
                        else
                        {
                            separators.Add((separatorPosition, char.ConvertFromUtf32(cp)));
                        }
                    }
                }

                if (mandatory > 0)
                {
                    format.Primary = Primary.Decimal;
                    format.ZeroCode = zeroCode!.Value;
                    format.MandatoryDigits = mandatory;
                    format.OptionalDigits = optional;
                    var regular = RegularRepeat(separators);
                    if (regular > 0)
                    {
                        format.Regular = true;
                        format.RegularPosition = regular;
                        format.RegularCharacter = separators[0].Item2;
                    }
                    else
                    {
                        format.Separators = separators;
                    }
                }
                else
                {
                    format.Primary = Primary.Sequence;
                    format.Token = primaryFormat;
                }

                break;
            }
        }

        return format;
    }

    private static int RegularRepeat(List<(int Position, string Character)> separators)
    {
        if (separators.Count == 0)
        {
            return 0;
        }

        if (separators.Exists(s => s.Character != separators[0].Character))
        {
            return 0;
        }

        return NumberFormatter.Regular(separators.ConvertAll(s => s.Position));
    }

    public static string Format(double value, Spec format)
    {
        var negative = value < 0;
        value = Math.Abs(value);
        string result;
        switch (format.Primary)
        {
            case Primary.Letters:
                result = ToLetters(value, format.Case == Case.Upper ? 'A' : 'a');
                break;
            case Primary.Roman:
                result = ToRoman(value);
                if (format.Case == Case.Upper)
                {
                    result = result.ToUpperInvariant();
                }

                break;
            case Primary.Words:
                result = ToWords(value, format.Ordinal);
                if (format.Case == Case.Upper)
                {
                    result = result.ToUpperInvariant();
                }
                else if (format.Case == Case.Lower)
                {
                    result = result.ToLowerInvariant();
                }

                break;
            case Primary.Decimal:
            {
                result = JsonText.FormatNumber(value);
                var padLength = format.MandatoryDigits - result.Length;
                if (padLength > 0)
                {
                    result = new string('0', padLength) + result;
                }

                if (format.ZeroCode != '0')
                {
                    var sb = new StringBuilder();
                    foreach (var ch in result)
                    {
                        sb.Append(char.ConvertFromUtf32(ch + format.ZeroCode - '0'));
                    }

                    result = sb.ToString();
                }

                if (format.Regular)
                {
                    var n = (result.Length - 1) / format.RegularPosition;
                    for (var ii = n; ii > 0; ii--)
                    {
                        var pos = result.Length - (ii * format.RegularPosition);
                        result = result[..pos] + format.RegularCharacter + result[pos..];
                    }
                }
                else
                {
                    foreach (var (position, character) in Enumerable.Reverse(format.Separators))
                    {
                        var pos = result.Length - position;
                        if (pos >= 0)
                        {
                            result = result[..pos] + character + result[pos..];
                        }
                    }
                }

                if (format.Ordinal)
                {
                    var last = result[^1];
                    var suffix = last switch
                    {
                        '1' => "st",
                        '2' => "nd",
                        '3' => "rd",
                        _ => "th",
                    };
                    if (result.Length > 1 && result[^2] == '1')
                    {
                        suffix = "th";
                    }

                    result += suffix;
                }

                break;
            }

            default:
                throw Errors.Create("D3130", value: format.Token);
        }

        return negative ? "-" + result : result;
    }

    private static string ToLetters(double value, char aChar)
    {
        var letters = new StringBuilder();
        while (value > 0)
        {
            letters.Insert(0, (char)(((value - 1) % 26) + aChar));
            value = Math.Floor((value - 1) / 26);
        }

        return letters.ToString();
    }

    private static string ToRoman(double value)
    {
        var sb = new StringBuilder();
        foreach (var (v, letters) in RomanNumerals)
        {
            while (value >= v)
            {
                sb.Append(letters);
                value -= v;
            }
        }

        return sb.ToString();
    }

    private static string ToWords(double value, bool ordinal)
    {
        string Lookup(double num, bool prev, bool ord)
        {
            string words;
            if (num <= 19)
            {
                words = (prev ? " and " : string.Empty) + (ord ? Ordinals[(int)num] : Few[(int)num]);
            }
            else if (num < 100)
            {
                var tens = (int)Math.Floor(num / 10);
                var remainder = num % 10;
                words = (prev ? " and " : string.Empty) + (ord && remainder == 0 ? OrdinalTens[tens - 2] : Decades[tens - 2]);
                if (remainder > 0)
                {
                    words += "-" + Lookup(remainder, false, ord);
                }
            }
            else if (num < 1000)
            {
                var hundreds = (int)Math.Floor(num / 100);
                var remainder = num % 100;
                words = (prev ? ", " : string.Empty) + Few[hundreds] + " Hundred";
                if (remainder > 0)
                {
                    words += Lookup(remainder, true, ord);
                }
                else if (ord)
                {
                    words += "th";
                }
            }
            else
            {
                var mag = (int)Math.Floor(Math.Log10(num) / 3);
                if (mag > Magnitudes.Length)
                {
                    mag = Magnitudes.Length;
                }

                var factor = Math.Pow(10, mag * 3);
                var mant = Math.Floor(num / factor);
                var remainder = num - (mant * factor);
                words = (prev ? ", " : string.Empty) + Lookup(mant, false, false) + " " + Magnitudes[mag - 1];
                if (remainder > 0)
                {
                    words += Lookup(remainder, true, ord);
                }
                else if (ord)
                {
                    words += "th";
                }
            }

            return words;
        }

        return Lookup(value, false, ordinal);
    }

    private static Dictionary<string, double> BuildWordValues()
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < Few.Length; i++)
        {
            values[Few[i].ToLowerInvariant()] = i;
            values[Ordinals[i].ToLowerInvariant()] = i;
        }

        for (var i = 0; i < Decades.Length; i++)
        {
            var word = Decades[i].ToLowerInvariant();
            values[word] = (i + 2) * 10;
            values[word[..^1] + "ieth"] = (i + 2) * 10;
        }

        values["hundredth"] = 100;
        for (var i = 0; i < Magnitudes.Length; i++)
        {
            var val = Math.Pow(10, (i + 1) * 3);
            var word = Magnitudes[i].ToLowerInvariant();
            values[word] = val;
            values[word + "th"] = val;
        }

        return values;
    }

    private static double WordsToNumber(string text)
    {
        var parts = Regex.Split(text, @",\s|\sand\s|[\s\\-]");
        var segs = new List<double> { 0 };
        foreach (var part in parts)
        {
            if (!WordValues.TryGetValue(part, out var value))
            {
                return double.NaN;
            }

            if (value < 100)
            {
                var top = segs[^1];
                segs.RemoveAt(segs.Count - 1);
                if (top >= 1000)
                {
                    segs.Add(top);
                    top = 0;
                }

                segs.Add(top + value);
            }
            else
            {
                var top = segs[^1];
                segs.RemoveAt(segs.Count - 1);
                segs.Add(top * value);
            }
        }

        return segs.Sum();
    }

    public static object? Parse(string value, string picture)
    {
        var spec = Analyse(picture);
        return Parse(value, spec);
    }

    internal static double? Parse(string value, Spec spec)
    {
        switch (spec.Primary)
        {
            case Primary.Letters:
            {
                var aCode = spec.Case == Case.Upper ? 'A' : 'a';
                double d = 0;
                for (var ii = 0; ii < value.Length; ii++)
                {
                    d += (value[value.Length - ii - 1] - aCode + 1) * Math.Pow(26, ii);
                }

                return d;
            }

            case Primary.Roman:
            {
                var roman = value.ToUpperInvariant();
                double d = 0;
                var max = 1;
                for (var ii = roman.Length - 1; ii >= 0; ii--)
                {
                    var v = roman[ii] switch
                    {
                        'M' => 1000,
                        'D' => 500,
                        'C' => 100,
                        'L' => 50,
                        'X' => 10,
                        'V' => 5,
                        'I' => 1,
                        _ => 0,
                    };
                    if (v < max)
                    {
                        d -= v;
                    }
                    else
                    {
                        max = v;
                        d += v;
                    }
                }

                return d;
            }

            case Primary.Words:
                return WordsToNumber(value.ToLowerInvariant());
            case Primary.Decimal:
            {
                var sb = new StringBuilder();
                for (var i = 0; i < value.Length; i++)
                {
                    var cp = char.ConvertToUtf32(value, i);
                    if (cp > 0xFFFF)
                    {
                        i++;
                    }

                    if (cp >= spec.ZeroCode && cp <= spec.ZeroCode + 9)
                    {
                        sb.Append((char)('0' + cp - spec.ZeroCode));
                    }
                }

                return sb.Length == 0 ? null : double.Parse(sb.ToString(), CultureInfo.InvariantCulture);
            }

            default:
                throw Errors.Create("D3130", value: spec.Token);
        }
    }
}
