using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using StockFlow.Core.Prices;

namespace StockFlow.GlueAthena.Local.DuckDb;

/// <summary>
/// A raw record's values, typed: each is null when its field is missing, does not parse or is not finite.
/// <see cref="AdjCloseGiven"/> tells "no Adj Close" (empty or <c>null</c>: use close) from one that is not a number,
/// <see cref="VolumeGiven"/> the same for the volume (missing means 0);
/// <see cref="RecordError"/> names a record that does not split into the seven columns; <see cref="DateText"/> keeps
/// a date field that did not parse, as written, for the excluded-row samples.
/// </summary>
internal readonly record struct ParsedRecord(
    DateOnly? Date, double? Open, double? High, double? Low, double? Close, double? AdjClose, bool AdjCloseGiven, double? Volume,
    bool VolumeGiven, string? RecordError, string? DateText);

/// <summary>
/// Parses one raw CSV record (<c>Date,Open,High,Low,Close,Adj Close,Volume</c>, UTF-8, without its newline) into typed
/// values: the engine-specific reading half of the cleaning. Which rows are excluded, and why, is decided by the shared
/// <c>sql/transform/clean_prices.sql</c> over these values. Fields may be double-quoted (<c>""</c> inside is a quote);
/// numbers may carry surrounding whitespace; dates are read as the ingest reads them.
/// </summary>
internal static class RawRecordParser
{
    public const int FieldCount = PriceRules.FieldCount;

    // The whitespace a number or date may carry around it.
    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\n\v\f\r"u8);

    /// <summary>Splits <paramref name="record"/> into its fields; <paramref name="scratch"/> holds unquoted fields (grown on demand).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RawFields Split(ReadOnlySpan<byte> record, Span<Range> ranges, ref byte[] scratch)
    {
        var source = Split(record, ranges, ref scratch, out var count);
        return new RawFields(source, ranges, count);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ParsedRecord Parse(RawFields fields)
    {
        if (fields.Count > FieldCount)
        {
            return new ParsedRecord(null, null, null, null, null, null, false, null, false, PriceRules.WrongFieldCount(fields.Count), null);
        }

        var dateText = fields.Trimmed(0);
        var date = ParseDate(dateText);
        var adjText = fields.Trimmed(5);
        var volumeText = fields.Trimmed(6);
        return new ParsedRecord(
            date,
            ParseFinite(fields.Trimmed(1)),
            ParseFinite(fields.Trimmed(2)),
            ParseFinite(fields.Trimmed(3)),
            ParseFinite(fields.Trimmed(4)),
            ParseFinite(adjText),
            !IsMissing(adjText),
            ParseFinite(volumeText),
            !IsMissing(volumeText),
            null,
            date is null && !dateText.IsEmpty ? System.Text.Encoding.UTF8.GetString(dateText) : null);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> field)
    {
        // Nearly every field has no whitespace around it: looking at its two ends is much cheaper than a search.
        if (field.IsEmpty || (!IsWhitespace(field[0]) && !IsWhitespace(field[^1])))
        {
            return field;
        }

        var start = field.IndexOfAnyExcept(Whitespace);
        return start < 0 ? [] : field[start..(field.LastIndexOfAnyExcept(Whitespace) + 1)];
    }

    /// <summary>The bytes of <see cref="Whitespace"/>: a space, or \t \n \v \f \r (0x09-0x0D).</summary>
    internal static bool IsWhitespace(byte b) => b == (byte)' ' || (uint)(b - '\t') <= '\r' - '\t';

    /// <summary>
    /// Splits on commas outside quotes into at most <see cref="FieldCount"/> ranges (<paramref name="count"/> counts all
    /// fields). Returns the span the ranges index: the record itself, or <paramref name="scratch"/> when a field was quoted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReadOnlySpan<byte> Split(ReadOnlySpan<byte> record, Span<Range> fields, ref byte[] scratch, out int count)
    {
        if (!record.IsEmpty && record[^1] == (byte)'\r')
        {
            record = record[..^1];
        }

        count = 0;
        if (record.IndexOf((byte)'"') < 0)
        {
            var start = 0;
            while (true)
            {
                var comma = record[start..].IndexOf((byte)',');
                var end = comma < 0 ? record.Length : start + comma;
                if (count < fields.Length)
                {
                    fields[count] = start..end;
                }

                count++;
                if (comma < 0)
                {
                    return record;
                }

                start = end + 1;
            }
        }

        if (scratch.Length < record.Length)
        {
            scratch = new byte[Math.Max(record.Length, scratch.Length * 2)];
        }

        var written = 0;
        var fieldStart = 0;
        var inQuotes = false;
        for (var i = 0; i < record.Length; i++)
        {
            var b = record[i];
            if (inQuotes)
            {
                if (b != (byte)'"')
                {
                    scratch[written++] = b;
                }
                else if (i + 1 < record.Length && record[i + 1] == (byte)'"')
                {
                    scratch[written++] = b;
                    i++;
                }
                else
                {
                    inQuotes = false;
                }
            }
            else if (b == (byte)'"')
            {
                inQuotes = true;
            }
            else if (b == (byte)',')
            {
                if (count < fields.Length)
                {
                    fields[count] = fieldStart..written;
                }

                count++;
                fieldStart = written;
            }
            else
            {
                scratch[written++] = b;
            }
        }

        if (count < fields.Length)
        {
            fields[count] = fieldStart..written;
        }

        count++;
        return scratch.AsSpan(0, written);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsMissing(ReadOnlySpan<byte> field) =>
        field.IsEmpty || (field.Length == 4 && System.Text.Ascii.EqualsIgnoreCase(field, "null"u8));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double? ParseFinite(ReadOnlySpan<byte> field) =>
        PriceFieldParser.TryParsePlainDecimal(field, out var value)
        || (!field.IsEmpty && double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value))
            ? value
            : null;

    /// <summary>
    /// yyyy-MM-dd, a real calendar day (2021-02-29 is not), read by the ingest's own fast path on bytes; any other text
    /// goes to the ingest's general date parser, so both engines accept the same dates.
    /// </summary>
    private static DateOnly? ParseDate(ReadOnlySpan<byte> field) =>
        PriceFieldParser.TryParseIsoDate(field, out var date)
        || (!field.IsEmpty && PriceFieldParser.TryParseDate(System.Text.Encoding.UTF8.GetString(field), out date))
            ? date
            : null;
}

/// <summary>A record's fields: the source sliced by the ranges (only the first <see cref="RawRecordParser.FieldCount"/> kept).</summary>
internal readonly ref struct RawFields(ReadOnlySpan<byte> source, ReadOnlySpan<Range> ranges, int count)
{
    private readonly ReadOnlySpan<byte> source = source;
    private readonly ReadOnlySpan<Range> ranges = ranges;

    /// <summary>How many fields the record has (may exceed the columns kept).</summary>
    public int Count { get; } = count;

    /// <summary>Field <paramref name="index"/> without surrounding whitespace; empty when the record is shorter.</summary>
    public ReadOnlySpan<byte> Trimmed(int index) =>
        index < Count && index < ranges.Length ? RawRecordParser.Trim(source[ranges[index]]) : [];
}
