namespace StockFlow.Core.Prices;

/// <summary>
/// One daily price row as a provider delivered it, still as text, so that validation has
/// one path for every source and a rejected row can be quarantined exactly as it arrived.
/// Columns follow the Yahoo download format: Date,Open,High,Low,Close,Adj Close,Volume.
/// </summary>
/// <param name="Source">Where the row came from, e.g. <c>AAPL.csv:12</c> or <c>yahoo:AAPL#3</c>.</param>
/// <param name="Date">The trading date, <c>yyyy-MM-dd</c> when valid.</param>
/// <param name="Open">The opening price.</param>
/// <param name="High">The day's high.</param>
/// <param name="Low">The day's low.</param>
/// <param name="Close">The closing price.</param>
/// <param name="AdjClose">The close adjusted for splits and dividends.</param>
/// <param name="Volume">Shares traded.</param>
public sealed record RawPriceRow(
    string Source,
    string? Date,
    string? Open,
    string? High,
    string? Low,
    string? Close,
    string? AdjClose,
    string? Volume)
{
    /// <summary>Why the record could not be read as one row of the seven columns (e.g. "8 fields, expected 7"); null when it could.</summary>
    public string? RecordError { get; init; }
}
