using StockFlow.Providers.Http;
using StockFlow.Providers.Stooq;
using StockFlow.Providers.Yahoo;
using StockFlow.Storage;

namespace StockFlow.Providers;

/// <summary>
/// The one definition of the providers' names (the command line's <c>--provider</c>, the execution input's
/// <c>provider</c>, the watermarks, the configuration) and the factory that creates a provider by its name.
/// </summary>
public static class PriceProviders
{
    /// <summary>Synthetic, deterministic prices generated offline (the default).</summary>
    public const string Sample = "sample";

    /// <summary>Yahoo Finance's v8 chart API.</summary>
    public const string Yahoo = "yahoo";

    /// <summary>Stooq's daily CSV download (needs an API key).</summary>
    public const string Stooq = "stooq";

    /// <summary>CSV files in the lake's <c>landing/</c> prefix (Yahoo download format, one per symbol).</summary>
    public const string Csv = "csv";

    /// <summary>Every provider's name, in the order help texts list them.</summary>
    public static IReadOnlyList<string> Names { get; } = [Sample, Yahoo, Stooq, Csv];

    /// <summary>The names for a message or a help text: <c>sample, yahoo, stooq or csv</c>.</summary>
    public static string Listed { get; } = string.Join(", ", Names.Take(Names.Count - 1)) + " or " + Names[^1];

    /// <summary>Whether <paramref name="name"/> is a provider's name (exactly: names are lower case).</summary>
    public static bool IsKnown(string? name) => name is not null && Names.Contains(name, StringComparer.Ordinal);

    /// <summary>
    /// A name as a person may write it (<c>" Yahoo "</c>) to the provider's name; false when it names no provider.
    /// </summary>
    public static bool TryNormalize(string? text, out string name)
    {
        name = text?.Trim().ToLowerInvariant() ?? string.Empty;
        return IsKnown(name);
    }

    /// <summary>Providers that call a market-data host and so spend a request budget.</summary>
    public static bool UsesNetwork(string name) => name is Yahoo or Stooq;

    /// <summary>
    /// A provider for one unit of work (an ingest call). A network provider gets a client of <paramref name="http"/>'s
    /// factory with its own rate limiter: <paramref name="requestsPerSecond"/> when given (the caller's share of the
    /// whole fan-out's budget, one request in flight), else the configured budget. Dispose the lease when the work is done.
    /// </summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="http">The process's provider HTTP clients (their options hold the base URLs and the Stooq key), asked for only by a network provider.</param>
    /// <param name="landingStore">The store holding <c>landing/&lt;SYMBOL&gt;.csv</c> files (used by <see cref="Csv"/>).</param>
    /// <param name="bucket">The bucket of the landing files.</param>
    /// <param name="requestsPerSecond">This unit of work's share of the request budget; null for the configured budget.</param>
    /// <exception cref="UnknownProviderException"><paramref name="name"/> names no provider.</exception>
    public static ProviderLease Create(string name, Func<ProviderHttpClients> http, IObjectStore landingStore, string bucket, double? requestsPerSecond = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        switch (name)
        {
            case Sample:
                return new ProviderLease(new SampleProvider(), null);
            case Csv:
                ArgumentNullException.ThrowIfNull(landingStore);
                ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
                return new ProviderLease(new LandingCsvProvider(landingStore, bucket), null);
            case Yahoo:
            {
                var client = http().Create(Yahoo, requestsPerSecond);
                return new ProviderLease(new YahooChartProvider(client), client);
            }

            case Stooq:
            {
                var clients = http();
                var client = clients.Create(Stooq, requestsPerSecond);
                return new ProviderLease(new StooqProvider(client, clients.Options.StooqApiKey), client);
            }

            default:
                throw new UnknownProviderException($"Unknown provider '{name}'. Valid providers: {Listed}.");
        }
    }
}

/// <summary>
/// The providers of one process over one lake: the HTTP clients are made on first use (a run of the sample or csv
/// provider makes none and reads no provider settings) and released with this object.
/// </summary>
public sealed class PriceProviderSource : IDisposable
{
    private readonly Lazy<ProviderHttpClients> _http;
    private readonly IObjectStore _landingStore;
    private readonly string _bucket;

    /// <param name="options">The provider settings, read when a network provider is first asked for.</param>
    /// <param name="landingStore">The lake holding <c>landing/</c> (the csv provider's files).</param>
    /// <param name="bucket">The lake's bucket.</param>
    public PriceProviderSource(Func<ProviderOptions> options, IObjectStore landingStore, string bucket)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = new(() => new ProviderHttpClients(options()));
        (_landingStore, _bucket) = (landingStore, bucket);
    }

    /// <summary>A provider for one ingest call (see <see cref="PriceProviders.Create"/>).</summary>
    public ProviderLease Lease(string name, double? requestsPerSecond) =>
        PriceProviders.Create(name, () => _http.Value, _landingStore, _bucket, requestsPerSecond);

    /// <summary>Releases the HTTP clients' handler chains, if any were made.</summary>
    public void Dispose()
    {
        if (_http.IsValueCreated)
        {
            _http.Value.Dispose();
        }
    }
}

/// <summary>A provider and what it owns (its HttpClient), released together.</summary>
public sealed class ProviderLease(IPriceProvider provider, IDisposable? owned) : IDisposable
{
    /// <summary>The provider.</summary>
    public IPriceProvider Provider { get; } = provider;

    /// <summary>Releases what the provider owns (its HTTP client).</summary>
    public void Dispose() => owned?.Dispose();
}
