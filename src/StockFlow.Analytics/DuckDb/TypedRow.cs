using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace StockFlow.Analytics.DuckDb;

/// <summary>
/// Formats a parsed record as a staging row: <c>file_no,line_no,trade_date,open,high,low,close,adj_close,
/// adj_close_given,volume,record_error,date_text</c>; a null value is an empty field. A number written plainly in the
/// source (digits, one point, a sign) is copied as it was: every correctly rounding parser reads it back as the same
/// double. Anything else is rewritten in round-trip form, so the engine never has to understand more than plain decimals.
/// </summary>
internal static class TypedRow
{
    public const string Columns =
        "{'file_no': 'BIGINT', 'line_no': 'BIGINT', 'trade_date': 'DATE', 'open': 'DOUBLE', 'high': 'DOUBLE', 'low': 'DOUBLE', " +
        "'close': 'DOUBLE', 'adj_close': 'DOUBLE', 'adj_close_given': 'BOOLEAN', 'volume': 'DOUBLE', 'record_error': 'VARCHAR', " +
        "'date_text': 'VARCHAR'}";

    /// <summary>Room <see cref="Format"/> needs for a record of <paramref name="recordLength"/> bytes.</summary>
    public static int MaxLength(int recordLength) => (2 * recordLength) + 512;

    /// <summary>Writes the row and its newline into <paramref name="buffer"/> (at least <see cref="MaxLength"/>); returns its length.</summary>
    public static int Format(Span<byte> buffer, int fileNo, int line, RawFields fields, in ParsedRecord record)
    {
        var at = 0;
        Integer(buffer, ref at, fileNo);
        Integer(buffer, ref at, line);
        if (record.Date is { } date)
        {
            Utf8Formatter.TryFormat(date.Year, buffer[at..], out var n, new StandardFormat('D', 4));
            at += n;
            buffer[at++] = (byte)'-';
            Utf8Formatter.TryFormat(date.Month, buffer[at..], out n, new StandardFormat('D', 2));
            at += n;
            buffer[at++] = (byte)'-';
            Utf8Formatter.TryFormat(date.Day, buffer[at..], out n, new StandardFormat('D', 2));
            at += n;
        }

        buffer[at++] = (byte)',';
        Number(buffer, ref at, fields.Trimmed(1), record.Open);
        Number(buffer, ref at, fields.Trimmed(2), record.High);
        Number(buffer, ref at, fields.Trimmed(3), record.Low);
        Number(buffer, ref at, fields.Trimmed(4), record.Close);
        Number(buffer, ref at, fields.Trimmed(5), record.AdjClose);
        buffer[at++] = record.AdjCloseGiven ? (byte)'1' : (byte)'0';
        buffer[at++] = (byte)',';
        Number(buffer, ref at, fields.Trimmed(6), record.Volume);
        if (record.RecordError is { } error)
        {
            Quoted(buffer, ref at, System.Text.Encoding.UTF8.GetBytes(error));
        }

        buffer[at++] = (byte)',';
        var dateText = fields.Trimmed(0);
        if (record.Date is null && record.RecordError is null && !dateText.IsEmpty)
        {
            Quoted(buffer, ref at, dateText);
        }

        buffer[at++] = (byte)'\n';
        return at;
    }

    private static void Integer(Span<byte> buffer, ref int at, long value)
    {
        Utf8Formatter.TryFormat(value, buffer[at..], out var n);
        at += n;
        buffer[at++] = (byte)',';
    }

    private static void Number(Span<byte> buffer, ref int at, ReadOnlySpan<byte> text, double? parsed)
    {
        if (parsed is not { } value)
        {
            // NULL: nothing between the commas.
        }
        else if (IsPlainDecimal(text))
        {
            text.CopyTo(buffer[at..]);
            at += text.Length;
        }
        else
        {
            value.TryFormat(buffer[at..], out var n, "R", CultureInfo.InvariantCulture);
            at += n;
        }

        buffer[at++] = (byte)',';
    }

    private static void Quoted(Span<byte> buffer, ref int at, ReadOnlySpan<byte> text)
    {
        buffer[at++] = (byte)'"';
        foreach (var b in text)
        {
            if (b == (byte)'"')
            {
                buffer[at++] = b;
            }

            buffer[at++] = b;
        }

        buffer[at++] = (byte)'"';
    }

    /// <summary>-?digits(.digits)? of reasonable length: the form every CSV reader parses the same way.</summary>
    internal static bool IsPlainDecimal(ReadOnlySpan<byte> text)
    {
        if (text.Length is 0 or > 40)
        {
            return false;
        }

        var i = text[0] == (byte)'-' ? 1 : 0;
        var digitsBefore = 0;
        while (i < text.Length && char.IsAsciiDigit((char)text[i]))
        {
            i++;
            digitsBefore++;
        }

        if (digitsBefore == 0)
        {
            return false;
        }

        if (i == text.Length)
        {
            return true;
        }

        if (text[i] != (byte)'.')
        {
            return false;
        }

        i++;
        var digitsAfter = 0;
        while (i < text.Length && char.IsAsciiDigit((char)text[i]))
        {
            i++;
            digitsAfter++;
        }

        return digitsAfter > 0 && i == text.Length;
    }
}
