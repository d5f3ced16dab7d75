using StockFlow.Core.Prices;

namespace StockFlow.Core.Csv;

/// <summary>
/// Reads a price CSV (Yahoo download format, also Stooq's, which has no Adj Close) into raw rows, without
/// judging them: validation decides. Columns are found by header name (case-insensitive, "Adj Close",
/// "AdjClose", "Adj_Close" alike), so a missing column gives null fields and extra columns are ignored;
/// a row with too few fields gets nulls for the rest. Each row's Source is "&lt;source&gt;:&lt;line&gt;".
/// </summary>
public static class PriceCsvReader
{
    /// <summary>Reads rows; throws <see cref="CsvFormatException"/> when there is no header with a Date column.</summary>
    public static IReadOnlyList<RawPriceRow> Read(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        using var records = CsvLineParser.ReadRecords(reader).GetEnumerator();
        if (!records.MoveNext())
            throw new CsvFormatException($"{sourceName}: the file is empty; expected the header '{PriceCsvFormat.Header}'");

        var header = records.Current;
        var map = ColumnMap.From(header.Fields);
        if (map.Date < 0)
            throw new CsvFormatException(
                $"{sourceName}:{header.LineNumber}: the header '{string.Join(',', header.Fields)}' has no Date column; expected '{PriceCsvFormat.Header}'");

        var rows = new List<RawPriceRow>();
        while (records.MoveNext())
        {
            var record = records.Current;
            rows.Add(new RawPriceRow(
                $"{sourceName}:{record.LineNumber}",
                map.Get(record, map.Date),
                map.Get(record, map.Open),
                map.Get(record, map.High),
                map.Get(record, map.Low),
                map.Get(record, map.Close),
                map.Get(record, map.AdjClose),
                map.Get(record, map.Volume)));
        }
        return rows;
    }

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

        public string? Get(CsvRecord record, int column) =>
            column >= 0 && column < record.Fields.Count ? record.Fields[column] : null;
    }
}
