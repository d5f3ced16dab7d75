using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace StockFlow.Providers.Http;

/// <summary>
/// Builds the HttpClient every network provider uses: total timeout → retry (429, 5xx, 408, timeouts,
/// connection errors; exponential back-off with jitter; Retry-After honoured up to a cap) → rate limiter
/// (per attempt, so retries are paced too) → per-attempt timeout → the network.
/// </summary>
public static class ProviderHttpClient
{
    private static readonly Lazy<SocketsHttpHandler> SharedNetwork = new(() => new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.All,
    });

    /// <param name="network">The innermost handler; null = a process-wide socket handler (tests pass their own).</param>
    public static HttpClient Create(
        Uri baseAddress,
        string userAgent,
        HttpResilienceSettings settings,
        ProviderRateLimit limiter,
        HttpMessageHandler? network = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(limiter);
        settings.Check();

        var handler = new ResilienceHandler(BuildPipeline(settings, limiter))
        {
            InnerHandler = network ?? new NonDisposingHandler(SharedNetwork.Value),
        };
        var client = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = baseAddress,
            // The pipeline owns the timeouts; HttpClient's own would fire as a bare TaskCanceledException.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.Clear();
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*", 0.1));
        return client;
    }

    internal static ResiliencePipeline<HttpResponseMessage> BuildPipeline(HttpResilienceSettings settings, ProviderRateLimit limiter)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = settings.TimeProvider };
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
            RateLimiter = args => limiter.AcquireAsync(args.Context.CancellationToken),
        });
        builder.AddTimeout(settings.AttemptTimeout);
        return builder.Build();
    }

    /// <summary>Transient outcomes: throttling, server errors, timeouts and connection failures.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter)
    {
        if (outcome.Exception is not null)
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        var response = outcome.Result!;
        var status = (int)response.StatusCode;
        if (status == 429)
            return RetryAfter(response) is not { } wait || wait <= maxRetryAfter;
        return status == 408 || status >= 500;
    }

    /// <summary>The delay a Retry-After header asks for (seconds or an HTTP date), or null for the back-off.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null)
            return null;
        if (header.Delta is { } delta)
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    /// <summary>Lets many clients share one socket pool without the first disposed client closing it.</summary>
    private sealed class NonDisposingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
            // Deliberately keeps the shared inner handler alive.
        }
    }
}
