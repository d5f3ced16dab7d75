using System.Globalization;
using StockFlow.Core.Prices;
using StockFlow.Csv;

namespace StockFlow.Core.Csv;

/// <summary>
/// Reads a price CSV (Yahoo download format, also Stooq's, which has no Adj Close) into raw rows, without
/// judging them: validation decides. Columns are found by header name (case-insensitive, "Adj Close",
/// "AdjClose", "Adj_Close" alike), so a missing column gives null fields and extra columns are ignored;
/// a row with too few fields gets nulls for the rest, one with more fields than the header a RecordError. Each row's Source is "&lt;source&gt;:&lt;line&gt;".
/// </summary>
public static class PriceCsvReader
{
    /// <summary>Reads rows; throws <see cref="CsvFormatException"/> when there is no header with a Date column.</summary>
    public static IReadOnlyList<RawPriceRow> Read(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        // The price format trims the whitespace around unquoted fields.
        using var records = new CsvReader(reader, trimUnquoted: true, source: sourceName);
        if (!records.Next())
            throw new CsvFormatException($"{sourceName}: the file is empty; expected the header '{PriceCsvFormat.Header}'");

        var header = records.Fields.ToArray();
        var map = ColumnMap.From(header);
        if (map.Date < 0)
            throw new CsvFormatException(
                $"{sourceName}:{records.LineNumber}: the header '{string.Join(',', header)}' has no Date column; expected '{PriceCsvFormat.Header}'");

        var rows = new List<RawPriceRow>();
        while (records.Next())
        {
            var fields = records.Fields;
            rows.Add(new RawPriceRow(
                string.Create(CultureInfo.InvariantCulture, $"{sourceName}:{records.LineNumber}"),
                ColumnMap.Get(fields, map.Date),
                ColumnMap.Get(fields, map.Open),
                ColumnMap.Get(fields, map.High),
                ColumnMap.Get(fields, map.Low),
                ColumnMap.Get(fields, map.Close),
                ColumnMap.Get(fields, map.AdjClose),
                ColumnMap.Get(fields, map.Volume))
            {
                // More fields than the header names: the row is shifted or damaged, never read by position.
                RecordError = fields.Length > header.Length ? PriceRules.WrongFieldCount(fields.Length, header.Length) : null,
            });
        }
        return rows;
    }

    /// <summary>Reads a price file held as text (see <see cref="Read"/>); <paramref name="sourceName"/> names it in each row's source.</summary>
    public static IReadOnlyList<RawPriceRow> ReadString(string csv, string sourceName)
    {
        using var reader = new StringReader(csv);
        return Read(reader, sourceName);
    }

    private sealed record ColumnMap(int Date, int Open, int High, int Low, int Close, int AdjClose, int Volume)
    {
        public static ColumnMap From(IReadOnlyList<string> header)
        {
            int Find(params string[] names)
            {
                for (var i = 0; i < header.Count; i++)
                {
                    var normalized = header[i].Trim().Replace(" ", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
                    if (names.Any(n => n.Equals(normalized, StringComparison.OrdinalIgnoreCase)))
                        return i;
                }
                return -1;
            }
            return new ColumnMap(Find("Date"), Find("Open"), Find("High"), Find("Low"), Find("Close"),
                Find("AdjClose", "AdjustedClose"), Find("Volume"));
        }

        public static string? Get(ReadOnlySpan<string> fields, int column) =>
            column >= 0 && column < fields.Length ? fields[column] : null;
    }
}
