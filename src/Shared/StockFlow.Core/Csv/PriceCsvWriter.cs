using System.Buffers;
using System.Globalization;
using System.Text;
using StockFlow.Core.Prices;

namespace StockFlow.Core.Csv;

/// <summary>
/// Writes bars in Yahoo download format. Doubles use the shortest text that parses back to the same
/// value ("R"), so a write/read round trip is exact; a null Adj Close is written empty.
/// </summary>
public static class PriceCsvWriter
{
    // Date (10) + five doubles (at most 24 each, e.g. -1.7976931348623157E+308) + a long (20) + 7 separators.
    private const int MaxRowLength = 10 + (5 * 24) + 20 + 7;

    private static readonly byte[] HeaderLine = Encoding.ASCII.GetBytes(PriceCsvFormat.Header + "\n");

    /// <summary>Writes the header and one row per bar, in the order given, with <c>\n</c> line ends.</summary>
    public static void Write(TextWriter writer, IEnumerable<DailyBar> bars)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(bars);
        writer.Write(PriceCsvFormat.Header);
        writer.Write('\n');
        Span<char> row = stackalloc char[MaxRowLength];
        foreach (var bar in bars)
            writer.Write(row[..FormatRow(bar, row)]);
    }

    /// <summary>The file <see cref="Write(TextWriter, IEnumerable{DailyBar})"/> writes, as text.</summary>
    public static string WriteString(IEnumerable<DailyBar> bars)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer, bars);
        return writer.ToString();
    }

    /// <summary>
    /// The same text as <see cref="WriteString"/>, encoded as UTF-8 without a byte-order mark: what the lake
    /// stores, without building the string first.
    /// </summary>
    public static ReadOnlyMemory<byte> WriteUtf8(IReadOnlyCollection<DailyBar> bars)
    {
        ArgumentNullException.ThrowIfNull(bars);
        var output = new ArrayBufferWriter<byte>(PriceCsvFormat.Header.Length + 1 + (bars.Count * 80));
        output.Write(HeaderLine);
        Span<char> row = stackalloc char[MaxRowLength];
        foreach (var bar in bars)
        {
            var length = FormatRow(bar, row);
            // Every character of a row is ASCII, so one byte each.
            output.Advance(Encoding.UTF8.GetBytes(row[..length], output.GetSpan(length)));
        }
        return output.WrittenMemory;
    }

    /// <summary>Shortest round-trip invariant text of a finite double.</summary>
    public static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>One row with its line end into <paramref name="row"/>; returns its length.</summary>
    private static int FormatRow(DailyBar bar, Span<char> row)
    {
        var at = Append(row, 0, bar.Date);
        at = Append(row, at, bar.Open);
        at = Append(row, at, bar.High);
        at = Append(row, at, bar.Low);
        at = Append(row, at, bar.Close);
        row[at++] = ',';
        if (bar.AdjClose is { } adj)
            at = Append(row, at, adj, separator: false);
        row[at++] = ',';
        at += Format(bar.Volume, row[at..], null);
        row[at++] = '\n';
        return at;
    }

    private static int Append(Span<char> row, int at, DateOnly date) => at + Format(date, row[at..], "yyyy-MM-dd");

    private static int Append(Span<char> row, int at, double value, bool separator = true)
    {
        if (separator)
            row[at++] = ',';
        return at + Format(value, row[at..], "R");
    }

    private static int Format<T>(T value, Span<char> destination, string? format)
        where T : ISpanFormattable =>
        value.TryFormat(destination, out var written, format, CultureInfo.InvariantCulture)
            ? written
            : throw new InvalidOperationException($"A {typeof(T).Name} does not fit the {destination.Length} characters left in a price row.");
}
