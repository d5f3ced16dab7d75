using System.Globalization;
using StockFlow.Csv;

namespace StockFlow.Reporting.Csv;

/// <summary>
/// Typed, invariant-culture access to the fields of the current record of a query result (an empty field is NULL),
/// with errors that name file, line and column.
/// </summary>
internal readonly ref struct ResultRow
{
    private readonly CsvHeader header;
    private readonly int line;
    private readonly ReadOnlySpan<string> fields;

    public ResultRow(CsvHeader header, int line, ReadOnlySpan<string> fields)
    {
        this.header = header;
        this.line = line;
        this.fields = fields;
    }

    public string RequiredString(string column) =>
        Raw(column) ?? throw Error(column, null, "a value is required");

    public DateOnly Date(string column)
    {
        var raw = RequiredString(column);
        if (IsoDate(raw) is { } date)
        {
            return date;
        }

        // Engines may write a DATE column as an ISO timestamp at midnight ("2024-01-02 00:00:00.000"); only the
        // ISO form is accepted, so "01/02/2024" cannot be read as either January or February.
        if (raw.Length > 10 && raw[10] is ' ' or 'T' && IsoDate(raw[..10]) is { } day
            && DateTime.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dateTime)
            && dateTime.TimeOfDay == TimeSpan.Zero)
        {
            return day;
        }

        throw Error(column, raw, "not a date (expected yyyy-MM-dd)");
    }

    public long Integer(string column)
    {
        var raw = RequiredString(column);
        if (long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        // Some engines write integral aggregates as doubles ("252.0").
        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < long.MaxValue)
        {
            return (long)d;
        }

        throw Error(column, raw, "not an integer");
    }

    public double Number(string column) =>
        NullableNumber(column) ?? throw Error(column, null, "a value is required");

    public double? NullableNumber(string column)
    {
        var raw = Raw(column);
        if (raw is null)
        {
            return null;
        }

        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            // NaN or infinity cannot be charted or compared; reject instead of hiding it.
            return double.IsFinite(value) ? value : throw Error(column, raw, "not a finite number");
        }

        throw Error(column, raw, "not a number");
    }

    private static DateOnly? IsoDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    private string? Raw(string column)
    {
        var value = fields[header.ColumnIndex(column)];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private CsvFormatException Error(string column, string? raw, string problem) =>
        new(raw is null
            ? $"{header.Source} line {line}, column '{column}': {problem}."
            : $"{header.Source} line {line}, column '{column}': '{raw}' is {problem}.");
}
