namespace StockFlow.Reporting.Csv;

/// <summary>One data row of a CSV file; <see cref="Line"/> is the 1-based line where the record starts.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string?> Fields);

/// <summary>The header row of a CSV file: column names and where each is, checked for every record read after it.</summary>
public sealed class CsvHeader
{
    private readonly Dictionary<string, int> _columnIndex;

    private CsvHeader(string source, IReadOnlyList<string> columns)
    {
        Source = source;
        Columns = columns;
        _columnIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < columns.Count; i++)
        {
            if (!_columnIndex.TryAdd(columns[i], i))
            {
                throw new FormatException($"{source}: duplicate column '{columns[i]}' in the header.");
            }
        }
    }

    /// <summary>Where the text came from (a file path or a name), used in every error message.</summary>
    public string Source { get; }

    public IReadOnlyList<string> Columns { get; }

    /// <summary>Reads the header from the first record; a file without one is an error.</summary>
    public static CsvHeader Read(IEnumerator<CsvRecord> records, string source)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (!records.MoveNext())
        {
            throw new FormatException($"{source}: the file is empty; expected a header row.");
        }

        var columns = records.Current.Fields.Select(f => (f ?? string.Empty).Trim()).ToList();
        if (columns.Any(h => h.Length == 0))
        {
            throw new FormatException($"{source}: the header row has an empty column name.");
        }

        return new CsvHeader(source, columns);
    }

    /// <summary>Index of a column by header name (case-insensitive); a clear error when it is missing.</summary>
    public int ColumnIndex(string column) =>
        _columnIndex.TryGetValue(column, out var index)
            ? index
            : throw new FormatException(
                $"{Source}: missing column '{column}' (header has: {string.Join(", ", Columns)}).");

    /// <summary>The record, after checking it has one field per column.</summary>
    public CsvRecord Check(CsvRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Fields.Count == Columns.Count
            ? record
            : throw new FormatException(
                $"{Source} line {record.Line}: expected {Columns.Count} fields, found {record.Fields.Count}.");
    }
}

/// <summary>
/// A whole RFC 4180 CSV file in memory: a header row, then records (see <see cref="CsvRecordStream"/> for the
/// format). Large inputs are better read record by record with <see cref="CsvRecordStream"/> and <see cref="CsvHeader"/>.
/// </summary>
public sealed class CsvTable
{
    private CsvTable(CsvHeader header, IReadOnlyList<CsvRecord> records)
    {
        HeaderRow = header;
        Records = records;
    }

    /// <summary>Where the text came from (a file path or a name), used in every error message.</summary>
    public string Source => HeaderRow.Source;

    public IReadOnlyList<string> Header => HeaderRow.Columns;

    public CsvHeader HeaderRow { get; }

    public IReadOnlyList<CsvRecord> Records { get; }

    /// <summary>Index of a column by header name (case-insensitive); a clear error when it is missing.</summary>
    public int ColumnIndex(string column) => HeaderRow.ColumnIndex(column);

    public static CsvTable Parse(TextReader reader, string source)
    {
        using var records = CsvRecordStream.Read(reader, source).GetEnumerator();
        var header = CsvHeader.Read(records, source);
        var rows = new List<CsvRecord>();
        while (records.MoveNext())
        {
            rows.Add(header.Check(records.Current));
        }

        return new CsvTable(header, rows);
    }
}
