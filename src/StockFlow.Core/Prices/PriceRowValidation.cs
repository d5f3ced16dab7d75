using System.Diagnostics.CodeAnalysis;

namespace StockFlow.Core.Prices;

/// <summary>The outcome of validating one row: exactly one of <see cref="Bar"/> and <see cref="Rejection"/> is set.</summary>
public sealed class PriceRowValidation
{
    private PriceRowValidation(DailyBar? bar, Rejection? rejection)
    {
        Bar = bar;
        Rejection = rejection;
    }

    public DailyBar? Bar { get; }

    public Rejection? Rejection { get; }

    [MemberNotNullWhen(true, nameof(Bar))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool IsValid => Bar is not null;

    public static PriceRowValidation Accepted(DailyBar bar) => new(bar, null);

    public static PriceRowValidation Rejected(RawPriceRow row, string reason) => new(null, new Rejection(row, reason));
}
