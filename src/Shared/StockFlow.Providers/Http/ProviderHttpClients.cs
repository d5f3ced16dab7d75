using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace StockFlow.Providers.Http;

/// <summary>
/// The HTTP clients of the network providers, from one <see cref="IHttpClientFactory"/>: a named client per provider
/// whose handler chain the factory pools and recycles (sockets shared, DNS changes seen), released when this object is
/// disposed. The chain is the resilience handler: total timeout → retry (429, 5xx, 408, timeouts, connection errors;
/// exponential back-off with jitter; Retry-After honoured up to a cap) → rate limiter (per attempt, so retries are
/// paced too) → per-attempt timeout → the network. This client is the one layer that retries a provider's request:
/// the definition retries only Lambda's own errors.
/// </summary>
public sealed class ProviderHttpClients : IDisposable
{
    private static readonly HttpRequestOptionsKey<ProviderRateLimit> LimiterKey = new("StockFlow.ProviderRateLimit");
    private readonly ServiceProvider _services;
    private readonly IHttpMessageHandlerFactory _handlers;

    /// <param name="options">Base URLs, user agent and <see cref="ProviderOptions.Http"/> (checked here).</param>
    /// <param name="network">The innermost handler of each chain; null for a socket handler (tests pass their own).</param>
    public ProviderHttpClients(ProviderOptions options, Func<HttpMessageHandler>? network = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Http.Check();
        Options = options;
        var services = new ServiceCollection();
        foreach (var provider in new[] { PriceProviders.Yahoo, PriceProviders.Stooq })
        {
            // No request budget stamped on a request (a client made another way) means the configured one, per chain.
            var fallback = new ProviderRateLimit(options.Http);
            services.AddHttpClient(provider)
                .ConfigurePrimaryHttpMessageHandler(network ?? (() => new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All }))
                .AddResilienceHandler("provider", pipeline => Configure(pipeline, options.Http, fallback));
        }

        _services = services.BuildServiceProvider();
        _handlers = _services.GetRequiredService<IHttpMessageHandlerFactory>();
    }

    /// <summary>The options the clients were made with.</summary>
    public ProviderOptions Options { get; }

    /// <summary>
    /// A client of <paramref name="provider"/>'s host for one unit of work, paced by a limiter of its own:
    /// <paramref name="requestsPerSecond"/> with one request in flight when given (the caller's share of the whole
    /// fan-out's budget), else the configured budget. Dispose it when the work is done (the pooled chain stays).
    /// </summary>
    public HttpClient Create(string provider, double? requestsPerSecond = null)
    {
        var baseAddress = provider switch
        {
            PriceProviders.Yahoo => Options.YahooBaseUrl,
            PriceProviders.Stooq => Options.StooqBaseUrl,
            _ => throw new UnknownProviderException($"'{provider}' makes no HTTP requests; {PriceProviders.Yahoo} and {PriceProviders.Stooq} do."),
        };
        var settings = Options.Http;
        if (requestsPerSecond is { } share)
        {
            settings = settings.Clone();
            settings.RequestsPerSecond = share;
            settings.MaxConcurrency = 1;
        }

        var paced = new PacingHandler(new ProviderRateLimit(settings)) { InnerHandler = _handlers.CreateHandler(provider) };
        var client = new HttpClient(paced, disposeHandler: true)
        {
            BaseAddress = baseAddress,
            // The pipeline owns the timeouts; HttpClient's own would fire as a bare TaskCanceledException.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", Options.UserAgent);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*", 0.1));
        return client;
    }

    /// <summary>Releases the factory's handler chains and their sockets.</summary>
    public void Dispose() => _services.Dispose();

    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, HttpResilienceSettings settings, ProviderRateLimit fallback)
    {
        builder.TimeProvider = settings.TimeProvider;
        builder.AddTimeout(settings.TotalTimeout);
        if (settings.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = settings.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = settings.UseJitter,
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, settings.MaxRetryAfter)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
            });
        }

        builder.AddRateLimiter(new RateLimiterStrategyOptions
        {
            RateLimiter = args =>
            {
                var limiter = args.Context.GetRequestMessage()?.Options.TryGetValue(LimiterKey, out var own) == true ? own : fallback;
                return limiter.AcquireAsync(args.Context.CancellationToken);
            },
        });
        builder.AddTimeout(settings.AttemptTimeout);
    }

    /// <summary>Transient outcomes: throttling, server errors, timeouts and connection failures.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        var response = outcome.Result!;
        var status = (int)response.StatusCode;
        if (status == 429)
        {
            return RetryAfter(response) is not { } wait || wait <= maxRetryAfter;
        }

        return status == 408 || status >= 500;
    }

    /// <summary>The delay a Retry-After header asks for (seconds or an HTTP date), or null for the back-off.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>Stamps one client's limiter on each request, for the pooled chain's rate limiter to wait on.</summary>
    private sealed class PacingHandler(ProviderRateLimit limiter) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Options.Set(LimiterKey, limiter);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
