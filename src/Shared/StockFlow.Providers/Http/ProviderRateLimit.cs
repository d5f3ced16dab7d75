using System.Diagnostics;
using System.Threading.RateLimiting;

namespace StockFlow.Providers.Http;

/// <summary>
/// Lets a request start at most every 1/RequestsPerSecond and keeps at most MaxConcurrency in flight; callers over
/// a limit wait in a queue instead of failing. Starts are spaced from the previous request's *actual* start, so a
/// late timer can only widen the gaps and no window of one second ever holds more than RequestsPerSecond starts.
/// (A token bucket let a saved token and a freshly replenished one start back to back: 101 requests in one second
/// at 100/s, measured by the ingestion benchmark's stub.)
/// (Internal: only <see cref="ProviderHttpClients"/> paces requests with it.)
/// </summary>
internal sealed class ProviderRateLimit
{
    private static readonly TimeSpan TimerResolution = TimeSpan.FromMilliseconds(1);
    private readonly ConcurrencyLimiter _concurrency;
    private readonly SemaphoreSlim _pace = new(1, 1);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _interval;
    private TimeSpan _nextStart = TimeSpan.Zero;

    public ProviderRateLimit(HttpResilienceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Check();
        RequestsPerSecond = settings.RequestsPerSecond;
        MaxConcurrency = settings.MaxConcurrency;
        _interval = TimeSpan.FromSeconds(1 / settings.RequestsPerSecond);
        _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = settings.MaxConcurrency,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public double RequestsPerSecond { get; }

    public int MaxConcurrency { get; }

    /// <summary>Waits for a free slot, then for the next start time; dispose the lease when the request ends.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken ct)
    {
        // Slot first: a request waiting for a free slot must not hold up the start times of others meanwhile.
        var slot = await _concurrency.AcquireAsync(1, ct);
        if (!slot.IsAcquired)
        {
            slot.Dispose();
            return new Lease(null, acquired: false);
        }

        try
        {
            await WaitForStartAsync(ct);
            return new Lease(slot, acquired: true);
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }

    private async Task WaitForStartAsync(CancellationToken ct)
    {
        await _pace.WaitAsync(ct);
        try
        {
            var now = _clock.Elapsed;
            while (now < _nextStart)
            {
                var wait = _nextStart - now;
                await Task.Delay(wait < TimerResolution ? TimerResolution : wait, ct);
                now = _clock.Elapsed;
            }

            _nextStart = now + _interval;
        }
        finally
        {
            _pace.Release();
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
