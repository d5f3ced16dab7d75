namespace StockFlow.Core.Prices;

/// <summary>A row that failed the cleaning rules, kept exactly as it arrived, with why.</summary>
public sealed record Rejection(RawPriceRow Row, string Reason);
