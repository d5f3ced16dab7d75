using System.Globalization;

namespace StockFlow.Reporting.Html;

/// <summary>How numbers and dates read in the report; always invariant culture so reports do not depend on the host.</summary>
public static class ReportFormat
{
    /// <summary>What a cell shows for a NULL value (an em dash, never "0" or "NaN").</summary>
    public const string Missing = "—";

    /// <summary>A fraction as a signed percentage: 0.1234 → "+12.34%", -0.05 → "−5.00%".</summary>
    public static string SignedPercent(double? fraction) =>
        fraction is { } f
            ? (f > 0 ? "+" : f < 0 ? "\u2212" : string.Empty) + Math.Abs(f).ToString("0.00%", CultureInfo.InvariantCulture)
            : Missing;

    /// <summary>A fraction as an unsigned percentage (volatility, shares): 0.312 → "31.20%".</summary>
    public static string Percent(double? fraction) =>
        fraction is { } f ? f.ToString("0.00%", CultureInfo.InvariantCulture) : Missing;

    /// <summary>A count with thousands separators: 12345 → "12,345".</summary>
    public static string Integer(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>An ISO date: "2024-03-01".</summary>
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An instant in UTC to the second: "2024-03-01 21:05:00 UTC".</summary>
    public static string Timestamp(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
