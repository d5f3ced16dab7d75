namespace StockFlow.Core.Prices;

/// <summary>
/// One daily price row as a provider delivered it, still as text, so that validation has
/// one path for every source and a rejected row can be quarantined exactly as it arrived.
/// Columns follow the Yahoo download format: Date,Open,High,Low,Close,Adj Close,Volume.
/// </summary>
/// <param name="Source">Where the row came from, e.g. <c>AAPL.csv:12</c> or <c>yahoo:AAPL#3</c>.</param>
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
