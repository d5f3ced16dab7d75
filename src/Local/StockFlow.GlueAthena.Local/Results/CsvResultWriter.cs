using StockFlow.Csv;

namespace StockFlow.GlueAthena.Local.Results;

/// <summary>Writes a result as RFC 4180 CSV with a header row (fields quoted only when needed).</summary>
public static class CsvResultWriter
{
    /// <summary>The header, then one line per row (values as <see cref="ValueText"/> writes them, NULL empty), <c>\n</c> line ends.</summary>
    public static void Write(TextWriter writer, IReadOnlyList<string> columnNames, IEnumerable<object?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(columnNames);
        ArgumentNullException.ThrowIfNull(rows);
        writer.Write(string.Join(",", columnNames.Select(CsvText.Escape)));
        writer.Write('\n');
        foreach (var row in rows)
        {
            writer.Write(string.Join(",", row.Select(v => CsvText.Escape(ValueText.Format(v)))));
            writer.Write('\n');
        }
    }

    /// <summary>Writes <paramref name="result"/>'s columns and rows (see <see cref="Write(TextWriter, IReadOnlyList{string}, IEnumerable{object?[]})"/>).</summary>
    public static void Write(TextWriter writer, ResultSet result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Write(writer, result.Columns.Select(c => c.Name).ToArray(), result.Rows);
    }
}
