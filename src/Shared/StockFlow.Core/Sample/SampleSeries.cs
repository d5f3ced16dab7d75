using StockFlow.Core.Prices;

namespace StockFlow.Core.Sample;

/// <summary>Generated bars of one symbol and the dividends paid in the same range.</summary>
public sealed record SampleSeries(string Symbol, IReadOnlyList<DailyBar> Bars, IReadOnlyList<CorporateAction> Dividends);
