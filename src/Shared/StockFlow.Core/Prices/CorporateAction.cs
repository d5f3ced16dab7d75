namespace StockFlow.Core.Prices;

/// <summary>What a corporate action is.</summary>
public enum CorporateActionKind
{
    /// <summary>A cash dividend.</summary>
    Dividend,
    /// <summary>A stock split (or reverse split).</summary>
    Split,
}

/// <summary>
/// A dividend (with <see cref="Amount"/> per share) or a split (<see cref="Numerator"/>:<see cref="Denominator"/>,
/// e.g. 4:1) on its ex-date in the exchange's local calendar.
/// </summary>
public sealed record CorporateAction(
    DateOnly Date,
    CorporateActionKind Kind,
    double? Amount = null,
    double? Numerator = null,
    double? Denominator = null)
{
    /// <summary>A dividend of <paramref name="amount"/> per share, ex-date <paramref name="date"/>.</summary>
    public static CorporateAction Dividend(DateOnly date, double amount) =>
        new(date, CorporateActionKind.Dividend, Amount: amount);

    /// <summary>A split of <paramref name="numerator"/>:<paramref name="denominator"/> on <paramref name="date"/>.</summary>
    public static CorporateAction Split(DateOnly date, double numerator, double denominator) =>
        new(date, CorporateActionKind.Split, Numerator: numerator, Denominator: denominator);
}
