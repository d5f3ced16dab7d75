using System.Text;

namespace StockFlow.Core.Csv;

/// <summary>One CSV record and the line it started on (1-based).</summary>
public sealed record CsvRecord(int LineNumber, IReadOnlyList<string> Fields);

/// <summary>
/// A small RFC 4180 reader: comma separated, double-quoted fields with "" escapes and embedded commas or
/// line breaks, LF or CRLF line ends, a leading byte-order mark ignored, blank lines skipped.
/// </summary>
public static class CsvLineParser
{
    public static IEnumerable<CsvRecord> ReadRecords(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var line = 0;
        var first = true;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            line++;
            if (first)
            {
                text = text.TrimStart('\uFEFF');
                first = false;
            }
            if (text.Trim().Length == 0)
                continue;

            var startLine = line;
            var fields = new List<string>();
            var field = new StringBuilder();
            var inQuotes = false;
            var wasQuoted = false;
            var i = 0;
            while (true)
            {
                if (i >= text.Length)
                {
                    if (!inQuotes)
                        break;
                    // A quoted field spans lines: keep the line break and continue with the next line.
                    var next = reader.ReadLine();
                    if (next is null)
                        throw new CsvFormatException($"line {startLine}: a quoted field is not closed before the end of the file");
                    line++;
                    field.Append('\n');
                    text = next;
                    i = 0;
                    continue;
                }
                var c = text[i];
                if (inQuotes)
                {
                    if (c == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        inQuotes = false;
                    }
                    else
                    {
                        field.Append(c);
                    }
                }
                else if (c == ',')
                {
                    fields.Add(Finish(field, wasQuoted));
                    wasQuoted = false;
                }
                else if (c == '"' && field.ToString().Trim().Length == 0)
                {
                    field.Clear();
                    inQuotes = true;
                    wasQuoted = true;
                }
                else
                {
                    field.Append(c);
                }
                i++;
            }
            fields.Add(Finish(field, wasQuoted));
            yield return new CsvRecord(startLine, fields);
        }
    }

    private static string Finish(StringBuilder field, bool wasQuoted)
    {
        var value = wasQuoted ? field.ToString() : field.ToString().Trim();
        field.Clear();
        return value;
    }

    /// <summary>Quotes a field when it holds a comma, quote or line break.</summary>
    public static string Escape(string? field)
    {
        if (string.IsNullOrEmpty(field))
            return string.Empty;
        if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
            return field;
        return "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}

/// <summary>The text is not a CSV file we can read (e.g. an unclosed quote or no price header).</summary>
public sealed class CsvFormatException(string message) : Exception(message);
