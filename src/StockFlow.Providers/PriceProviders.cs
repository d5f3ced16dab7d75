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
    /// A provider for one unit of work (an ingest call). A network provider gets its own HttpClient over the
    /// process's socket pool and its own rate limiter: <paramref name="requestsPerSecond"/> when given (the
    /// caller's share of the whole fan-out's budget, one request in flight), else the configured budget.
    /// Dispose the lease when the work is done.
    /// </summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
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
                throw new UnknownProviderException($"Unknown provider '{name}'. Valid providers: {Listed}.");
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
