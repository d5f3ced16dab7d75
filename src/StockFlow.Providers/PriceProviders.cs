using StockFlow.Providers.Http;
using StockFlow.Providers.Stooq;
using StockFlow.Providers.Yahoo;
using StockFlow.Storage;

namespace StockFlow.Providers;

/// <summary>Creates a provider by the name used on the command line and in the execution input.</summary>
public static class PriceProviders
{
    public const string Sample = "sample";
    public const string Yahoo = "yahoo";
    public const string Stooq = "stooq";
    public const string Csv = "csv";

    public static IReadOnlyList<string> Names { get; } = [Sample, Yahoo, Stooq, Csv];

    /// <summary>Providers that call a market-data host and so spend a request budget.</summary>
    public static bool UsesNetwork(string name) => name is Yahoo or Stooq;

    /// <summary>
    /// A provider for one unit of work (an ingest call). A network provider gets its own HttpClient over the
    /// process's socket pool and its own rate limiter: <paramref name="requestsPerSecond"/> when given (the
    /// caller's share of the whole fan-out's budget, one request in flight), else the configured budget.
    /// Dispose the lease when the work is done.
    /// </summary>
    /// <param name="name">sample | yahoo | stooq | csv.</param>
    /// <param name="landingStore">The store holding <c>landing/&lt;SYMBOL&gt;.csv</c> files (used by "csv").</param>
    /// <param name="bucket">The bucket of the landing files.</param>
    public static ProviderLease Create(string name, ProviderOptions options, IObjectStore landingStore, string bucket, double? requestsPerSecond = null)
    {
        ArgumentNullException.ThrowIfNull(options);
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
                var http = Client(options.YahooBaseUrl, options, requestsPerSecond);
                return new ProviderLease(new YahooChartProvider(http), http);
            }

            case Stooq:
            {
                var http = Client(options.StooqBaseUrl, options, requestsPerSecond);
                return new ProviderLease(new StooqProvider(http, options.StooqApiKey), http);
            }

            default:
                throw new UnknownProviderException($"Unknown provider '{name}'. Valid providers: {string.Join(", ", Names)}.");
        }
    }

    private static HttpClient Client(Uri baseUrl, ProviderOptions options, double? requestsPerSecond)
    {
        var http = options.Http;
        if (requestsPerSecond is { } share)
        {
            http = http.Clone();
            http.RequestsPerSecond = share;
            http.MaxConcurrency = 1;
        }

        return ProviderHttpClient.Create(baseUrl, options.UserAgent, http, new ProviderRateLimit(http));
    }
}

/// <summary>A provider and what it owns (its HttpClient), released together.</summary>
public sealed class ProviderLease(IPriceProvider provider, IDisposable? owned) : IDisposable
{
    public IPriceProvider Provider { get; } = provider;

    public void Dispose() => owned?.Dispose();
}
