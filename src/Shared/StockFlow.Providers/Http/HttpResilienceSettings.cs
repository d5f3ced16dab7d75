namespace StockFlow.Providers.Http;

/// <summary>
/// How politely and how persistently we call a market-data host. Defaults follow docs/providers.md ("HTTP"): about
/// 2 requests/s, 2 in flight, a few jittered exponential retries on 429/5xx/timeouts honouring Retry-After.
/// Tests shrink the delays; nothing here needs real minutes.
/// </summary>
public sealed class HttpResilienceSettings
{
    /// <summary>
    /// Requests started per second for the whole ingest fan-out (fractions allowed: 0.5 = one every 2 s). The plan divides
    /// it among the ingest Map's concurrent batches, so the budget holds however many processes run them. Default: 2.
    /// </summary>
    public double RequestsPerSecond { get; set; } = 2;

    /// <summary>Requests in flight at once through one client (an ingest batch asks one at a time). Default: 2.</summary>
    public int MaxConcurrency { get; set; } = 2;

    /// <summary>Retries after the first attempt (0 = no retry). Default: 3.</summary>
    /// <remarks>This client is the one layer that retries a provider's request: the definition retries only Lambda's own errors.</remarks>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first back-off; each retry doubles it (with jitter), up to <see cref="MaxDelay"/>. Default: 1 s.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest back-off between two attempts. Default: 60 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether back-offs are jittered, so clients retrying together spread out. Default: true.</summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>
    /// The longest Retry-After we wait for in-process. A longer one (Yahoo blocks can last hours) ends the
    /// attempt with <see cref="ProviderThrottledException"/>: the batch stops, the ingest Map counts it against its
    /// tolerated failures, and a redrive later fetches what is left. Default: 60 s.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of one attempt (connect to last header byte). Default: 15 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Timeout of the whole call, retries and waits included. Default: 90 s.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>The clock of back-offs and timeouts (a fake one in tests).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>A copy to change (a lease's share of the budget) without touching the configured settings.</summary>
    public HttpResilienceSettings Clone() => (HttpResilienceSettings)MemberwiseClone();

    internal void Check()
    {
        if (!(RequestsPerSecond > 0) || double.IsInfinity(RequestsPerSecond))
            throw new ProviderConfigurationException($"RequestsPerSecond must be a positive number, not {RequestsPerSecond}.");
        if (MaxConcurrency < 1)
            throw new ProviderConfigurationException($"MaxConcurrency must be at least 1, not {MaxConcurrency}.");
        if (MaxRetryAttempts < 0)
            throw new ProviderConfigurationException($"MaxRetryAttempts must not be negative, not {MaxRetryAttempts}.");
        if (AttemptTimeout <= TimeSpan.Zero || TotalTimeout <= TimeSpan.Zero)
            throw new ProviderConfigurationException("AttemptTimeout and TotalTimeout must be positive.");
    }
}
