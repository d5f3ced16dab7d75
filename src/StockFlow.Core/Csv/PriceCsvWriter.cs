using System.Globalization;
using StockFlow.Core.Prices;

namespace StockFlow.Core.Csv;

/// <summary>
/// Writes bars in Yahoo download format. Doubles use the shortest text that parses back to the same
/// value ("R"), so a write/read round trip is exact; a null Adj Close is written empty.
/// </summary>
public static class PriceCsvWriter
{
    public static void Write(TextWriter writer, IEnumerable<DailyBar> bars)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(bars);
        writer.Write(PriceCsvFormat.Header);
        writer.Write('\n');
        foreach (var bar in bars)
        {
            writer.Write(bar.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(FormatNumber(bar.Open));
            writer.Write(',');
            writer.Write(FormatNumber(bar.High));
            writer.Write(',');
            writer.Write(FormatNumber(bar.Low));
            writer.Write(',');
            writer.Write(FormatNumber(bar.Close));
            writer.Write(',');
            if (bar.AdjClose is { } adj)
                writer.Write(FormatNumber(adj));
            writer.Write(',');
            writer.Write(bar.Volume.ToString(CultureInfo.InvariantCulture));
            writer.Write('\n');
        }
    }

    public static string WriteString(IEnumerable<DailyBar> bars)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer, bars);
        return writer.ToString();
    }

    /// <summary>Shortest round-trip invariant text of a finite double.</summary>
    public static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
