using System.Globalization;

namespace StockFlow.Reporting.Csv;

/// <summary>Typed, invariant-culture access to the fields of one record, with errors that name file, line and column.</summary>
internal readonly struct CsvRecordReader(CsvHeader header, CsvRecord record)
{
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
        var value = record.Fields[header.ColumnIndex(column)];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private FormatException Error(string column, string? raw, string problem) =>
        new(raw is null
            ? $"{header.Source} line {record.Line}, column '{column}': {problem}."
            : $"{header.Source} line {record.Line}, column '{column}': '{raw}' is {problem}.");
}
