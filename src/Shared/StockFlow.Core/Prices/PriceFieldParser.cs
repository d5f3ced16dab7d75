using System.Globalization;
using System.Runtime.CompilerServices;

namespace StockFlow.Core.Prices;

/// <summary>
/// Parses the text fields of a price row. Numbers are invariant-culture (a '.' decimal point, no thousands
/// separators, optional exponent); NaN and infinities are not numbers here. Empty text and the literal
/// <c>null</c> (Yahoo's old CSV export) both mean "missing".
/// </summary>
public static class PriceFieldParser
{
    private static readonly string[] DateFormats =
    [
        // Yahoo download, Stooq and our own raw files.
        "yyyy-MM-dd",
        // pandas/yfinance DataFrame.to_csv: the exchange-local midnight with its offset, or without one.
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm:sszzz",
        "yyyy-MM-ddTHH:mm:ss",
        "yyyy-MM-ddTHH:mm:sszzz",
        // Yahoo's web history table, as copied into spreadsheets: "Jan 2, 2020".
        "MMM d, yyyy",
    ];

    /// <summary>
    /// The whitespace a field may carry around its value: a space and \t \n \v \f \r, exactly what the number parser
    /// allows and what the transform's byte reader trims (a no-break space is not whitespace here, in either engine).
    /// </summary>
    public const string Whitespace = StockFlow.Csv.CsvReader.Whitespace;

    /// <summary>The field without surrounding <see cref="Whitespace"/>.</summary>
    public static ReadOnlySpan<char> Trim(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().Trim(Whitespace);
    }

    /// <summary>True when the field is empty, <see cref="Whitespace"/> or the literal <c>null</c> (any case).</summary>
    public static bool IsMissing(string? field)
    {
        if (field is null)
            return true;
        var trimmed = Trim(field);
        return trimmed.IsEmpty || trimmed.Equals("null", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Parses a trading date. Date-times keep the calendar date as written, because the files write
    /// exchange-local times: converting them to UTC would shift Asian sessions to the previous day.
    /// </summary>
    public static bool TryParseDate(string? field, out DateOnly date)
    {
        if (field is not null && TryParseIsoDate(field, out date))
            return true;
        date = default;
        if (IsMissing(field))
            return false;
        var text = Trim(field!).ToString();
        foreach (var format in DateFormats)
        {
            if (format.Contains("HH", StringComparison.Ordinal))
            {
                if (DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withTime))
                {
                    date = DateOnly.FromDateTime(withTime.DateTime);
                    return true;
                }
            }
            else if (DateOnly.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The layout of nearly every row, exactly "yyyy-MM-dd" with ASCII digits and a real calendar day, read without
    /// the format machinery. False for anything else (here the general path takes over; the transform's reader
    /// accepts nothing else).
    /// </summary>
    public static bool TryParseIsoDate(ReadOnlySpan<char> text, out DateOnly date) => TryParseIsoDate<char>(text, out date);

    /// <inheritdoc cref="TryParseIsoDate(ReadOnlySpan{char}, out DateOnly)"/>
    public static bool TryParseIsoDate(ReadOnlySpan<byte> utf8, out DateOnly date) => TryParseIsoDate<byte>(utf8, out date);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseIsoDate<T>(ReadOnlySpan<T> text, out DateOnly date)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        date = default;
        if (text.Length != 10 || int.CreateTruncating(text[4]) != '-' || int.CreateTruncating(text[7]) != '-'
            || !TryDigits(text[..4], out var year)
            || !TryDigits(text.Slice(5, 2), out var month)
            || !TryDigits(text.Slice(8, 2), out var day))
            return false;
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryDigits<T>(ReadOnlySpan<T> digits, out int value)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        value = 0;
        foreach (var c in digits)
        {
            var digit = int.CreateTruncating(c) - '0';
            if ((uint)digit > 9)
                return false;
            value = (value * 10) + digit;
        }
        return true;
    }

    /// <summary>Parses a finite invariant-culture number.</summary>
    public static bool TryParseNumber(string? field, out double value)
    {
        value = 0;
        if (IsMissing(field))
            return false;
        var text = Trim(field!);
        if (TryParsePlainDecimal(text, out value))
            return true;
        // Only the ASCII whitespace trimmed above surrounds a number (as in the transform's byte reader): no flags for more.
        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        return double.TryParse(text, style, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    // 10^0 .. 10^15, each exactly representable as a double.
    private static readonly double[] PowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>
    /// The shape of nearly every price, an optional '-', digits and at most one '.', with at most 15 digits in all
    /// ("-123.4567"), read without the general number parser. Such a number is m / 10^k with m and 10^k both exact
    /// doubles, so one IEEE division rounds it correctly: the very double <see cref="double.Parse(string)"/> returns
    /// (Clinger's fast path). False for anything else (exponents, '+', whitespace, more digits): use the general parser.
    /// </summary>
    public static bool TryParsePlainDecimal(ReadOnlySpan<char> text, out double value) => TryParsePlainDecimal<char>(text, out value);

    /// <inheritdoc cref="TryParsePlainDecimal(ReadOnlySpan{char}, out double)"/>
    public static bool TryParsePlainDecimal(ReadOnlySpan<byte> utf8, out double value) => TryParsePlainDecimal<byte>(utf8, out value);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParsePlainDecimal<T>(ReadOnlySpan<T> text, out double value)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        value = 0;
        var negative = !text.IsEmpty && int.CreateTruncating(text[0]) == '-';
        long mantissa = 0;
        var digits = 0;
        var fractionDigits = -1;
        for (var i = negative ? 1 : 0; i < text.Length; i++)
        {
            var c = int.CreateTruncating(text[i]);
            if ((uint)(c - '0') <= 9)
            {
                if (++digits > 15)
                    return false;
                mantissa = (mantissa * 10) + (c - '0');
                if (fractionDigits >= 0)
                    fractionDigits++;
            }
            else if (c == '.' && fractionDigits < 0)
            {
                fractionDigits = 0;
            }
            else
            {
                return false;
            }
        }

        if (digits == 0)
            return false;
        value = mantissa / PowersOfTen[Math.Max(fractionDigits, 0)];
        if (negative)
            value = -value;
        return true;
    }
}
