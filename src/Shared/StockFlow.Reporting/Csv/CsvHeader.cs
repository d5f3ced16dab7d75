using System.Globalization;
using StockFlow.Csv;

namespace StockFlow.Reporting.Csv;

/// <summary>The header row of a CSV file: column names and where each is, checked for every record read after it.</summary>
internal sealed class CsvHeader
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
                throw new CsvFormatException($"{source}: duplicate column '{columns[i]}' in the header.");
            }
        }
    }

    /// <summary>Where the text came from (a file path or a name), used in every error message.</summary>
    public string Source { get; }

    /// <summary>The column names in file order, trimmed.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Reads the header from the first record; a file without one is an error.</summary>
    public static CsvHeader Read(CsvReader records, string source)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (!records.Next())
        {
            throw new CsvFormatException($"{source}: the file is empty; expected a header row.");
        }

        var columns = new List<string>(records.Fields.Length);
        foreach (var field in records.Fields)
        {
            columns.Add(field.Trim());
        }

        if (columns.Any(h => h.Length == 0))
        {
            throw new CsvFormatException($"{source}: the header row has an empty column name.");
        }

        return new CsvHeader(source, columns);
    }

    /// <summary>Index of a column by header name (case-insensitive); a clear error when it is missing.</summary>
    public int ColumnIndex(string column) =>
        _columnIndex.TryGetValue(column, out var index)
            ? index
            : throw new CsvFormatException(
                $"{Source}: missing column '{column}' (header has: {string.Join(", ", Columns)}).");

    /// <summary>Checks that the current record of <paramref name="records"/> has one field per column.</summary>
    public void Check(CsvReader records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Fields.Length != Columns.Count)
        {
            throw new CsvFormatException(string.Create(CultureInfo.InvariantCulture,
                $"{Source} line {records.LineNumber}: expected {Columns.Count} fields, found {records.Fields.Length}."));
        }
    }
}
