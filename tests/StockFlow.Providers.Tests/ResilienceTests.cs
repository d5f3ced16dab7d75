using System.Diagnostics;
using StockFlow.Providers.Http;

namespace StockFlow.Providers.Tests;

/// <summary>Retries, timeouts and the rate limiter, against a real loopback HTTP server.</summary>
public sealed class ResilienceTests : IDisposable
{
    private const string Path = "/v8/finance/chart/SEQ";
    private readonly Stub _stub = new();

    public void Dispose() => _stub.Dispose();

    private static readonly string Ok = """{"chart":{"result":[{"meta":{"exchangeTimezoneName":"America/New_York"},"timestamp":[1704205800],"indicators":{"quote":[{"open":[10],"high":[12],"low":[9],"close":[11],"volume":[100]}]}}],"error":null}}""";

    private Task<ProviderResult> Fetch(HttpResilienceSettings? settings = null) =>
        _stub.Yahoo(settings).FetchAsync(new PriceRequest("SEQ", new(2024, 1, 2), new(2024, 1, 2)), CancellationToken.None);

    [Fact]
    public async Task A_plain_text_429_then_success_is_retried_and_succeeds()
    {
        _stub.Sequence(Path, (429, "Edge: Too Many Requests", null), (429, "Too Many Requests", null), (200, Ok, null));
        var result = await Fetch();
        Assert.Single(result.Rows);
        Assert.Equal(3, _stub.Calls(Path));
    }

    [Fact]
    public async Task A_404_is_not_retried()
    {
        _stub.Sequence(Path, (404, """{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found"}}}""", null), (200, Ok, null));
        await Assert.ThrowsAsync<SymbolNotFoundException>(() => Fetch());
        Assert.Equal(1, _stub.Calls(Path));
    }

    [Fact]
    public async Task A_persistent_500_ends_unavailable_after_the_configured_attempts()
    {
        _stub.Sequence(Path, (500, "Internal Server Error", null));
        var error = await Assert.ThrowsAsync<ProviderUnavailableException>(() => Fetch(Stub.FastSettings(retries: 2)));
        Assert.Contains("HTTP 500", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, _stub.Calls(Path));
    }

    [Fact]
    public async Task A_persistent_429_ends_throttled()
    {
        _stub.Sequence(Path, (429, "Too Many Requests", null));
        var error = await Assert.ThrowsAsync<ProviderThrottledException>(() => Fetch(Stub.FastSettings(retries: 1)));
        Assert.Equal(2, _stub.Calls(Path));
        Assert.Equal("SEQ", error.Symbol);
    }

    [Fact]
    public async Task A_500_then_a_503_then_success_is_retried()
    {
        _stub.Sequence(Path, (500, "oops", null), (503, "Service Unavailable", null), (200, Ok, null));
        var result = await Fetch();
        Assert.Single(result.Rows);
        Assert.Equal(3, _stub.Calls(Path));
    }

    [Fact]
    public async Task Persistent_timeouts_end_unavailable()
    {
        _stub.Sequence(Path, (200, Ok, TimeSpan.FromSeconds(3)));
        var settings = Stub.FastSettings(retries: 1);
        settings.AttemptTimeout = TimeSpan.FromMilliseconds(200);
        var error = await Assert.ThrowsAsync<ProviderUnavailableException>(() => Fetch(settings));
        Assert.Contains("could not be reached", error.Message, StringComparison.Ordinal);
        // Counted on the client: the server logs a request only once its (delayed) answer is sent.
        Assert.Equal(2, _stub.Network.Requests.Count);
    }

    [Fact]
    public async Task Retry_After_is_honoured()
    {
        _stub.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(Path).UsingGet()).InScenario("ra").WillSetStateTo("done")
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithBody("slow down"));
        _stub.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(Path).UsingGet()).InScenario("ra").WhenStateIs("done")
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithBody(Ok));
        var watch = Stopwatch.StartNew();
        await Fetch();
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(950), $"waited only {watch.Elapsed}");
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_cap_is_not_waited_for_but_reported()
    {
        _stub.Respond(Path, 429, "blocked", "text/plain", retryAfter: "3600");
        var error = await Assert.ThrowsAsync<ProviderThrottledException>(() => Fetch());
        Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
        Assert.Equal(1, _stub.Calls(Path));
    }

    [Fact]
    public async Task The_rate_limit_and_the_concurrency_cap_are_never_exceeded()
    {
        _stub.Respond(Path, 200, Ok, delay: TimeSpan.FromMilliseconds(150));
        var settings = Stub.FastSettings();
        settings.RequestsPerSecond = 20;
        settings.MaxConcurrency = 3;
        var provider = _stub.Yahoo(settings);
        await Task.WhenAll(Enumerable.Range(0, 24).Select(_ =>
            provider.FetchAsync(new PriceRequest("SEQ", new(2024, 1, 2), new(2024, 1, 2)), CancellationToken.None)));

        Assert.Equal(24, _stub.Calls(Path));
        Assert.InRange(_stub.Network.MaxInFlight, 1, 3);
        var starts = _stub.Network.Starts.OrderBy(t => t).ToList();
        // Token bucket of one token per 50 ms: any 500 ms window sees at most 10 starts, plus one for timer phase.
        for (var i = 0; i < starts.Count; i++)
        {
            var inWindow = starts.Count(t => t >= starts[i] && t < starts[i] + TimeSpan.FromMilliseconds(500));
            Assert.True(inWindow <= 11, $"{inWindow} requests started within 500 ms");
        }
    }
}
