using System.Text;

namespace StockFlow.Reporting.Csv;

/// <summary>One data row of a CSV file; <see cref="Line"/> is the 1-based line where the record starts.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string?> Fields);

/// <summary>
/// An RFC 4180 CSV file: a header row, then records. Fields may be quoted ("a,b", "say ""hi""", embedded
/// newlines). An empty field, quoted or not, is read as null because Athena and DuckDB write NULL that way.
/// </summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _columnIndex;

    private CsvTable(string source, IReadOnlyList<string> header, IReadOnlyList<CsvRecord> records)
    {
        Source = source;
        Header = header;
        Records = records;
        _columnIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            if (!_columnIndex.TryAdd(header[i], i))
            {
                throw new FormatException($"{source}: duplicate column '{header[i]}' in the header.");
            }
        }
    }

    /// <summary>Where the text came from (a file path or a name), used in every error message.</summary>
    public string Source { get; }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<CsvRecord> Records { get; }

    /// <summary>Index of a column by header name (case-insensitive); a clear error when it is missing.</summary>
    public int ColumnIndex(string column) =>
        _columnIndex.TryGetValue(column, out var index)
            ? index
            : throw new FormatException(
                $"{Source}: missing column '{column}' (header has: {string.Join(", ", Header)}).");

    public static CsvTable Parse(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = Tokenize(reader.ReadToEnd(), source);
        if (rows.Count == 0)
        {
            throw new FormatException($"{source}: the file is empty; expected a header row.");
        }

        var header = rows[0].Fields.Select(f => (f ?? string.Empty).Trim()).ToList();
        if (header.Any(h => h.Length == 0))
        {
            throw new FormatException($"{source}: the header row has an empty column name.");
        }

        var records = new List<CsvRecord>(rows.Count - 1);
        foreach (var row in rows.Skip(1))
        {
            if (row.Fields.Count != header.Count)
            {
                throw new FormatException(
                    $"{source} line {row.Line}: expected {header.Count} fields, found {row.Fields.Count}.");
            }

            records.Add(row);
        }

        return new CsvTable(source, header, records);
    }

    private static List<CsvRecord> Tokenize(string text, string source)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string?>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var quoteLine = 0;
        var pos = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;

        void EndField()
        {
            fields.Add(field.Length == 0 ? null : field.ToString());
            field.Clear();
        }

        void EndRecord()
        {
            EndField();
            // A blank line (one empty field) carries no data; skip it rather than report a field-count error.
            if (fields.Count > 1 || fields[0] is not null)
            {
                records.Add(new CsvRecord(recordLine, fields.ToList()));
            }

            fields.Clear();
        }

        for (; pos < text.Length; pos++)
        {
            var c = text[pos];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (pos + 1 < text.Length && text[pos + 1] == '"')
                    {
                        field.Append('"');
                        pos++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    inQuotes = true;
                    quoteLine = line;
                    break;
                case '"':
                    throw new FormatException($"{source} line {line}: a quote inside an unquoted field.");
                case ',':
                    EndField();
                    break;
                case '\r':
                    break; // CRLF and LF both end a record; a lone CR is dropped.
                case '\n':
                    EndRecord();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (inQuotes)
        {
            throw new FormatException($"{source} line {quoteLine}: a quoted field is not closed.");
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            EndRecord();
        }

        return records;
    }
}
