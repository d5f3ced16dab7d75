using System.Collections.Concurrent;
using StockFlow.Providers.Http;
using StockFlow.Providers.Stooq;
using StockFlow.Providers.Yahoo;
using StockFlow.Storage;

namespace StockFlow.Providers;

/// <summary>Creates a provider by the name used on the command line and in the execution input.</summary>
public static class PriceProviders
{
    public static IReadOnlyList<string> Names { get; } = ["sample", "yahoo", "stooq", "csv"];

    // One HttpClient per provider and configuration for the life of the process (sockets are pooled).
    private static readonly ConcurrentDictionary<string, HttpClient> Clients = new(StringComparer.Ordinal);

    /// <param name="name">sample | yahoo | stooq | csv (case-insensitive).</param>
    /// <param name="landingStore">The store holding <c>landing/&lt;SYMBOL&gt;.csv</c> files (used by "csv").</param>
    /// <param name="bucket">The bucket of the landing files.</param>
    public static IPriceProvider Create(string name, ProviderOptions options, IObjectStore landingStore, string bucket)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (name?.Trim().ToLowerInvariant())
        {
            case "sample":
                return new SampleProvider();
            case "csv":
                ArgumentNullException.ThrowIfNull(landingStore);
                ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
                return new LandingCsvProvider(landingStore, bucket);
            case "yahoo":
                return new YahooChartProvider(Client("yahoo", options.YahooBaseUrl, options));
            case "stooq":
                return new StooqProvider(Client("stooq", options.StooqBaseUrl, options), options.StooqApiKey);
            default:
                throw new ArgumentException($"Unknown provider '{name}'. Valid providers: {string.Join(", ", Names)}.", nameof(name));
        }
    }

    private static HttpClient Client(string provider, Uri baseUrl, ProviderOptions options)
    {
        var http = options.Http;
        var key = string.Join('|', provider, baseUrl, options.UserAgent, http.RequestsPerSecond, http.MaxConcurrency,
            http.MaxRetryAttempts, http.BaseDelay, http.MaxDelay, http.MaxRetryAfter, http.AttemptTimeout, http.TotalTimeout,
            http.TimeProvider.GetHashCode());
        return Clients.GetOrAdd(key, _ => ProviderHttpClient.Create(
            baseUrl, options.UserAgent, http, ProviderRateLimiters.GetShared(LimiterKey(provider, http), http)));
    }

    // The limiter is shared per provider *and* budget: keyed by name alone, the first settings seen in the process
    // silently won, so a later pipeline configured with another rate or concurrency was paced by the old one.
    private static string LimiterKey(string provider, HttpResilienceSettings http) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{provider}|{http.RequestsPerSecond}|{http.MaxConcurrency}");
}
