using StockFlow.Core.Prices;

namespace StockFlow.Providers;

/// <summary>
/// A source of daily prices. Rows come back as text (<see cref="RawPriceRow"/>) for the one validation path;
/// failures are the exceptions derived from <see cref="ProviderException"/>, whose type names are the error
/// names the state machine's Retry and Catch rules match.
/// </summary>
public interface IPriceProvider
{
    /// <summary>The name used on the command line and in the execution input: one of <see cref="PriceProviders.Names"/>.</summary>
    string Name { get; }

    /// <summary>
    /// The rows of <paramref name="request"/>'s range that the source has (possibly none: a holiday range or a new
    /// listing is not an error). Rows dated before the range are left out; a file source may return rows after it, which the ingest sorts out.
    /// </summary>
    /// <exception cref="Core.Symbols.InvalidSymbolException">The symbol is not a safe ticker.</exception>
    /// <exception cref="ProviderException">The fetch failed; the concrete type says whether a retry may help.</exception>
    Task<ProviderResult> FetchAsync(PriceRequest request, CancellationToken ct);
}

/// <summary>Daily prices of <paramref name="Symbol"/> for the exchange-local dates From..To, both inclusive.</summary>
public sealed record PriceRequest(string Symbol, DateOnly From, DateOnly To);

/// <summary>What is known about the instrument; any part may be unknown (null).</summary>
/// <param name="Currency">ISO 4217 code of the prices, e.g. <c>USD</c>.</param>
/// <param name="ExchangeTimeZone">IANA zone of the exchange (e.g. <c>America/New_York</c>): the zone of the bars' dates.</param>
/// <param name="InstrumentType">The source's instrument class, e.g. Yahoo's <c>EQUITY</c>, <c>ETF</c>, <c>INDEX</c>.</param>
/// <param name="IsSynthetic">True for generated data, which must be labelled "synthetic" wherever shown.</param>
public sealed record ProviderMetadata(string? Currency, string? ExchangeTimeZone, string? InstrumentType, bool IsSynthetic = false)
{
    /// <summary>Nothing known: what the csv and Stooq providers report, whose answers carry no metadata.</summary>
    public static ProviderMetadata Unknown { get; } = new(null, null, null);
}

/// <summary>
/// The rows of one fetch, in date order, one per date, inside the requested range. Rows are not validated:
/// a partially empty bar arrives with empty fields so that validation quarantines it.
/// </summary>
public sealed record ProviderResult(
    string Symbol,
    IReadOnlyList<RawPriceRow> Rows,
    ProviderMetadata Metadata,
    IReadOnlyList<CorporateAction> Events)
{
    /// <summary>Bars the source sent with every value null, dropped as docs/providers.md explains (counted, not hidden).</summary>
    public int DroppedEmptyBars { get; init; }

    /// <summary>Bars of today's still-open session, left out until the session has closed.</summary>
    public int DroppedLiveBars { get; init; }

    /// <summary>Extra bars for a date already seen (the last one was kept).</summary>
    public int DuplicateBars { get; init; }
}
