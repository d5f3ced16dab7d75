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
        using var records = new CsvRecordReader(reader);
        while (records.Next())
            yield return new CsvRecord(records.LineNumber, records.Fields.ToArray());
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

/// <summary>
/// The record loop behind <see cref="CsvLineParser.ReadRecords"/>: one record at a time, its fields in a reused
/// buffer, so a caller that copies what it needs (as <see cref="PriceCsvReader"/> does) allocates only the field strings.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader) : IDisposable
{
    // Unquoted fields lose the ASCII whitespace around them, as in the transform's byte reader (not a no-break space).
    private static readonly char[] Whitespace = Prices.PriceFieldParser.Whitespace.ToCharArray();

    private readonly CsvLineSource lines = new(reader);
    private readonly List<string> fields = [];
    private int line;
    private bool first = true;

    /// <summary>The line the current record started on (1-based).</summary>
    public int LineNumber { get; private set; }

    /// <summary>The current record's fields, valid until the next call to <see cref="Next"/>.</summary>
    public ReadOnlySpan<string> Fields => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(fields);

    public bool Next()
    {
        while (lines.Next())
        {
            line++;
            var text = lines.Line;
            if (first)
            {
                text = text.TrimStart('\uFEFF');
                first = false;
            }
            if (text.Trim(Whitespace).IsEmpty)
                continue;

            LineNumber = line;
            fields.Clear();
            // Almost every line of a price file has no quote: split it without the character loop.
            if (text.IndexOf('"') < 0)
                SplitUnquoted(text);
            else
                ParseQuoted(text.ToString());
            return true;
        }
        return false;
    }

    public void Dispose() => lines.Dispose();

    /// <summary>The fields of a line without quotes, each trimmed as <see cref="Finish"/> trims unquoted fields.</summary>
    private void SplitUnquoted(ReadOnlySpan<char> text)
    {
        while (true)
        {
            var comma = text.IndexOf(',');
            if (comma < 0)
            {
                AddField(text.Trim(Whitespace));
                return;
            }

            AddField(text[..comma].Trim(Whitespace));
            text = text[(comma + 1)..];
        }
    }

    // A field equal to the one before it (Adj Close = Close on most days) shares its string.
    private void AddField(ReadOnlySpan<char> field) =>
        fields.Add(fields.Count > 0 && field.SequenceEqual(fields[^1]) ? fields[^1] : field.ToString());

    private void ParseQuoted(string text)
    {
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
                if (!lines.Next())
                    throw new CsvFormatException($"line {LineNumber}: a quoted field is not closed before the end of the file");
                line++;
                field.Append('\n');
                text = lines.Line.ToString();
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
            else if (c == '"' && field.ToString().Trim(Whitespace).Length == 0)
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
    }

    private static string Finish(StringBuilder field, bool wasQuoted)
    {
        var value = wasQuoted ? field.ToString() : field.ToString().Trim(Whitespace);
        field.Clear();
        return value;
    }
}

/// <summary>The text is not a CSV file we can read (e.g. an unclosed quote or no price header).</summary>
public sealed class CsvFormatException(string message) : Exception(message);
