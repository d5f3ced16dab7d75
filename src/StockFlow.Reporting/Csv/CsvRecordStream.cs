using System.Buffers;
using System.Text;

namespace StockFlow.Reporting.Csv;

/// <summary>
/// Reads RFC 4180 records one at a time from a <see cref="TextReader"/>, so a large query result is never held
/// as one string. Fields may be quoted ("a,b", "say ""hi""", embedded newlines); an empty field, quoted or not,
/// is null because Athena and DuckDB write NULL that way. Blank lines carry no data and are skipped.
/// </summary>
public static class CsvRecordStream
{
    private const int BufferSize = 1 << 16;

    private static readonly SearchValues<char> UnquotedSpecials = SearchValues.Create("\",\r\n");
    private static readonly SearchValues<char> QuotedSpecials = SearchValues.Create("\"\n");

    private enum State
    {
        Unquoted,
        Quoted,
        QuoteInQuoted, // a quote inside a quoted field: either the first of "" or the closing quote
    }

    public static IEnumerable<CsvRecord> Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        return ReadRecords(reader, source);
    }

    private static IEnumerable<CsvRecord> ReadRecords(TextReader reader, string source)
    {
        var buffer = new char[BufferSize];
        var fields = new List<string?>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoteLine = 0;
        var state = State.Unquoted;
        var first = true;
        int count;
        while ((count = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            if (first)
            {
                first = false;
                start = buffer[0] == '\uFEFF' ? 1 : 0;
            }

            var pos = start;
            while (pos < count)
            {
                var c = buffer[pos];
                if (state == State.QuoteInQuoted)
                {
                    if (c == '"')
                    {
                        field.Append('"');
                        state = State.Quoted;
                        pos++;
                        continue;
                    }

                    state = State.Unquoted; // the quote closed the field; c is read as unquoted text below
                }

                if (state == State.Quoted)
                {
                    // Copy the run of plain text up to the next quote or newline at once.
                    var run = buffer.AsSpan(pos, count - pos);
                    var special = run.IndexOfAny(QuotedSpecials);
                    if (special < 0)
                    {
                        field.Append(run);
                        pos = count;
                        continue;
                    }

                    field.Append(run[..special]);
                    pos += special + 1;
                    if (run[special] == '"')
                    {
                        state = State.QuoteInQuoted;
                    }
                    else
                    {
                        line++;
                        field.Append('\n');
                    }

                    continue;
                }

                if (c is not ('"' or ',' or '\r' or '\n'))
                {
                    var run = buffer.AsSpan(pos, count - pos);
                    var special = run.IndexOfAny(UnquotedSpecials);
                    var length = special < 0 ? run.Length : special;
                    field.Append(run[..length]);
                    pos += length;
                    continue;
                }

                pos++;
                switch (c)
                {
                    case '"' when field.Length == 0:
                        state = State.Quoted;
                        quoteLine = line;
                        break;
                    case '"':
                        throw new FormatException($"{source} line {line}: a quote inside an unquoted field.");
                    case ',':
                        EndField(fields, field);
                        break;
                    case '\r':
                        break; // CRLF and LF both end a record; a lone CR is dropped.
                    default: // '\n'
                        if (EndRecord(fields, field, recordLine) is { } record)
                        {
                            yield return record;
                        }

                        line++;
                        recordLine = line;
                        break;
                }
            }
        }

        if (state == State.Quoted)
        {
            throw new FormatException($"{source} line {quoteLine}: a quoted field is not closed.");
        }

        if ((field.Length > 0 || fields.Count > 0) && EndRecord(fields, field, recordLine) is { } last)
        {
            yield return last;
        }
    }

    private static void EndField(List<string?> fields, StringBuilder field)
    {
        fields.Add(field.Length == 0 ? null : field.ToString());
        field.Clear();
    }

    private static CsvRecord? EndRecord(List<string?> fields, StringBuilder field, int recordLine)
    {
        EndField(fields, field);
        var record = fields.Count > 1 || fields[0] is not null ? new CsvRecord(recordLine, fields.ToArray()) : null;
        fields.Clear();
        return record;
    }
}
