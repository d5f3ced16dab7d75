using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace StockFlow.Providers.Http;

/// <summary>
/// Rate limits shared by the whole process, one per provider, so that parallel symbols (a Map state run
/// in-process) together stay within the provider's budget. The first settings seen for a key win.
/// </summary>
public static class ProviderRateLimiters
{
    private static readonly ConcurrentDictionary<string, ProviderRateLimit> Shared = new(StringComparer.Ordinal);

    public static ProviderRateLimit GetShared(string key, HttpResilienceSettings settings) =>
        Shared.GetOrAdd(key, _ => new ProviderRateLimit(settings));
}

/// <summary>
/// Lets a request start at most every 1/RequestsPerSecond (token bucket without bursts) and keeps at most
/// MaxConcurrency in flight; callers over a limit wait in a queue instead of failing.
/// </summary>
public sealed class ProviderRateLimit
{
    private readonly ConcurrencyLimiter _concurrency;
    private readonly TokenBucketRateLimiter _pace;

    public ProviderRateLimit(HttpResilienceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Check();
        RequestsPerSecond = settings.RequestsPerSecond;
        MaxConcurrency = settings.MaxConcurrency;
        _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = settings.MaxConcurrency,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _pace = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = 1,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1 / settings.RequestsPerSecond),
            AutoReplenishment = true,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public double RequestsPerSecond { get; }

    public int MaxConcurrency { get; }

    /// <summary>Waits for a free slot, then for the next start token; dispose the lease when the request ends.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken ct)
    {
        // Slot first: a request waiting for a free slot must not sit on a start token meanwhile.
        var slot = await _concurrency.AcquireAsync(1, ct);
        try
        {
            using var start = await _pace.AcquireAsync(1, ct);
            if (!slot.IsAcquired || !start.IsAcquired)
            {
                slot.Dispose();
                return new Lease(null, acquired: false);
            }
            return new Lease(slot, acquired: true);
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }

    private sealed class Lease(RateLimitLease? slot, bool acquired) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                slot?.Dispose();
            base.Dispose(disposing);
        }
    }
}
