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

    /// <summary>The accepted bar; null when the row was rejected.</summary>
    public DailyBar? Bar { get; }

    /// <summary>The rejected row and its reason; null when the row was accepted.</summary>
    public Rejection? Rejection { get; }

    /// <summary>Whether the row was accepted.</summary>
    [MemberNotNullWhen(true, nameof(Bar))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool IsValid => Bar is not null;

    /// <summary>The row became <paramref name="bar"/>.</summary>
    public static PriceRowValidation Accepted(DailyBar bar) => new(bar, null);

    /// <summary><paramref name="row"/> broke a rule; <paramref name="reason"/> is one of <see cref="PriceRules"/>' reasons.</summary>
    public static PriceRowValidation Rejected(RawPriceRow row, string reason) => new(null, new Rejection(row, reason));
}
