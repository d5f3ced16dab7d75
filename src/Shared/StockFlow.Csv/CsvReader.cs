using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace StockFlow.Csv;

/// <summary>
/// The project's one CSV reader (RFC 4180), used for every CSV it reads: price files, query results, the crawler's
/// sample, the ASL ItemReader. Its rules, the same for all of them:
/// <list type="bullet">
/// <item>fields are separated by the delimiter (a comma unless the caller says otherwise);</item>
/// <item>a field that starts with a double quote is quoted: it may hold delimiters, <c>""</c> for a quote and line breaks
/// (kept as one "\n" whatever the file used); a quote elsewhere in a field is an ordinary character;</item>
/// <item>records end at "\n", "\r\n" or "\r", as <see cref="TextReader.ReadLine"/> splits lines;</item>
/// <item>a byte-order mark at the start is ignored, and empty lines are not records;</item>
/// <item>with <c>trimUnquoted</c> (the price files' rule) unquoted fields lose the ASCII whitespace around them
/// (<see cref="Whitespace"/>, not a no-break space) and lines of only whitespace are not records either;</item>
/// <item>a quoted field still open at the end of the text is a <see cref="CsvFormatException"/>.</item>
/// </list>
/// What an empty field means (an empty string, a NULL, a missing value) is the format's business, not the reader's.
/// One record at a time, its fields in a reused buffer, lines read as spans over one pooled buffer: a caller that copies
/// what it needs allocates only the field strings.
/// </summary>
public sealed class CsvReader : IDisposable
{
    /// <summary>The whitespace <c>trimUnquoted</c> removes: a space, or \t \n \v \f \r.</summary>
    public const string Whitespace = " \t\n\v\f\r";

    private static readonly char[] WhitespaceChars = Whitespace.ToCharArray();

    private readonly CsvLineSource lines;
    private readonly List<string> fields = [];
    private readonly char delimiter;
    private readonly bool trim;
    private readonly string source;
    private int line;
    private bool first = true;

    /// <param name="reader">The text; the reader does not dispose it.</param>
    /// <param name="delimiter">The field separator (not a quote or a line break).</param>
    /// <param name="trimUnquoted">Trim <see cref="Whitespace"/> around unquoted fields and skip whitespace-only lines.</param>
    /// <param name="source">Names the text (a file, a key) in error messages.</param>
    public CsvReader(TextReader reader, char delimiter = ',', bool trimUnquoted = false, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (delimiter is '"' or '\r' or '\n')
            throw new ArgumentOutOfRangeException(nameof(delimiter), delimiter, "A CSV delimiter cannot be a quote or a line break.");
        lines = new CsvLineSource(reader);
        this.delimiter = delimiter;
        trim = trimUnquoted;
        this.source = source is null ? "" : source + " ";
    }

    /// <summary>The line the current record started on (1-based).</summary>
    public int LineNumber { get; private set; }

    /// <summary>The current record's fields, valid until the next call to <see cref="Next"/>.</summary>
    public ReadOnlySpan<string> Fields => CollectionsMarshal.AsSpan(fields);

    /// <summary>Every record of <paramref name="reader"/>, each with its own copy of the fields.</summary>
    public static IEnumerable<CsvRecord> ReadRecords(TextReader reader, char delimiter = ',', bool trimUnquoted = false, string? source = null)
    {
        var records = new CsvReader(reader, delimiter, trimUnquoted, source);
        return Enumerate(records);
    }

    /// <summary>Moves to the next record; false at the end of the text.</summary>
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
            if (text.IsEmpty || (trim && text.Trim(WhitespaceChars).IsEmpty))
                continue;

            LineNumber = line;
            fields.Clear();
            // Almost every line has no quote: split it without the character loop.
            if (text.IndexOf('"') < 0)
                SplitUnquoted(text);
            else
                ParseQuoted(text.ToString());
            return true;
        }
        return false;
    }

    /// <inheritdoc/>
    public void Dispose() => lines.Dispose();

    private static IEnumerable<CsvRecord> Enumerate(CsvReader records)
    {
        using (records)
        {
            while (records.Next())
                yield return new CsvRecord(records.LineNumber, records.Fields.ToArray());
        }
    }

    private void SplitUnquoted(ReadOnlySpan<char> text)
    {
        while (true)
        {
            var end = text.IndexOf(delimiter);
            if (end < 0)
            {
                AddField(Trim(text));
                return;
            }

            AddField(Trim(text[..end]));
            text = text[(end + 1)..];
        }
    }

    private ReadOnlySpan<char> Trim(ReadOnlySpan<char> field) => trim ? field.Trim(WhitespaceChars) : field;

    // A field equal to the one before it (Adj Close = Close on most days of a price file) shares its string.
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
                    throw new CsvFormatException(string.Create(CultureInfo.InvariantCulture,
                        $"{source}line {LineNumber}: a quoted field is not closed before the end of the text"));
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
            else if (c == delimiter)
            {
                fields.Add(Finish(field, wasQuoted));
                wasQuoted = false;
            }
            else if (c == '"' && !wasQuoted && Trim(field.ToString()).IsEmpty)
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

    private string Finish(StringBuilder field, bool wasQuoted)
    {
        var value = wasQuoted ? field.ToString() : Trim(field.ToString()).ToString();
        field.Clear();
        return value;
    }
}
