using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using StockFlow.GlueAthena.Local.Results;
using StockFlow.GlueAthena.Local.Sandbox;
using StockFlow.Csv;

namespace StockFlow.Cli.Output;

/// <summary>Writes each row as CSV as it arrives (all rows, nothing held).</summary>
internal sealed class CsvQueryWriter(TextWriter output) : IQueryResultSink
{
    public void Begin(IReadOnlyList<ResultColumn> columns) =>
        output.Write(string.Join(",", columns.Select(c => CsvText.Escape(c.Name))) + "\n");

    public bool Row(object?[] values)
    {
        output.Write(string.Join(",", values.Select(v => CsvText.Escape(ValueText.Format(v)))) + "\n");
        return true;
    }
}

/// <summary>Writes a JSON array, one object per line as rows arrive (all rows, nothing held).</summary>
internal sealed class JsonQueryWriter(TextWriter output) : IQueryResultSink
{
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private IReadOnlyList<ResultColumn> _columns = [];
    private bool _any;

    public void Begin(IReadOnlyList<ResultColumn> columns)
    {
        _columns = columns;
        output.Write("[");
    }

    public bool Row(object?[] values)
    {
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer))
        {
            JsonResultWriter.WriteRow(json, _columns, values);
        }

        output.Write(_any ? ",\n" : "\n");
        output.Write(Encoding.UTF8.GetString(_buffer.WrittenSpan));
        _any = true;
        return true;
    }

    public void End() => output.Write(_any ? "\n]\n" : "]\n");
}

/// <summary>
/// A text table of at most <c>maxRows</c> rows (the rest are not read; the footer says so), cells cut at
/// <see cref="MaxCellWidth"/> columns, widths measured in terminal columns (wide characters and emoji count two).
/// </summary>
internal sealed class TableQueryWriter(TextWriter output, int maxRows) : IQueryResultSink
{
    public const int MaxCellWidth = 60;

    private static readonly HashSet<string> NumericTypes = new(StringComparer.Ordinal)
    {
        "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE",
    };

    private readonly List<string[]> _rows = [];
    private IReadOnlyList<ResultColumn> _columns = [];

    /// <summary>More rows than <c>maxRows</c> came back; only the first were shown.</summary>
    public bool Truncated { get; private set; }

    public int RowCount => _rows.Count;

    public void Begin(IReadOnlyList<ResultColumn> columns) => _columns = columns;

    public bool Row(object?[] values)
    {
        if (_rows.Count >= maxRows)
        {
            Truncated = true;
            return false;
        }

        _rows.Add(values.Select(v => TextWidth.Truncate(TextWidth.Printable(ValueText.Format(v)), MaxCellWidth)).ToArray());
        return true;
    }

    public void End()
    {
        var headers = _columns.Select(c => TextWidth.Truncate(TextWidth.Printable(c.Name), MaxCellWidth)).ToArray();
        var widths = headers.Select(TextWidth.Of).ToArray();
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], TextWidth.Of(row[i]));
            }
        }

        var numeric = _columns.Select(c => NumericTypes.Contains(c.Type) || c.Type.StartsWith("DECIMAL", StringComparison.Ordinal)).ToArray();
        output.WriteLine(Line(headers, widths, new bool[headers.Length]));
        output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
        {
            output.WriteLine(Line(row, widths, numeric));
        }

        output.WriteLine(Truncated
            ? string.Create(CultureInfo.InvariantCulture, $"(first {_rows.Count:N0} rows shown; the result has more: raise --max-rows, or use --format csv for every row)")
            : string.Create(CultureInfo.InvariantCulture, $"({_rows.Count:N0} row(s))"));
    }

    private static string Line(string[] cells, int[] widths, bool[] rightAligned) =>
        string.Join(" | ", cells.Select((cell, i) => rightAligned[i] ? TextWidth.PadLeft(cell, widths[i]) : TextWidth.PadRight(cell, widths[i]))).TrimEnd();
}
