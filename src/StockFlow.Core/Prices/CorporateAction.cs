namespace StockFlow.Core.Prices;

public enum CorporateActionKind
{
    Dividend,
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
    public static CorporateAction Dividend(DateOnly date, double amount) =>
        new(date, CorporateActionKind.Dividend, Amount: amount);

    public static CorporateAction Split(DateOnly date, double numerator, double denominator) =>
        new(date, CorporateActionKind.Split, Numerator: numerator, Denominator: denominator);
}
