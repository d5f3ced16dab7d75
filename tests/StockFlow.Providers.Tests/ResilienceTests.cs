using System.Diagnostics;
using StockFlow.Providers.Http;
using StockFlow.Storage;

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

    [Fact]
    public async Task Two_clients_sharing_one_budget_each_keep_their_share_and_one_request_in_flight()
    {
        _stub.Respond(Path, 200, Ok, delay: TimeSpan.FromMilliseconds(20));
        var factory = _stub.Factory();
        // The plan's share of a 20/s budget for a Map of 2 batches: 10/s each, one request at a time.
        using var first = factory.Create(PriceProviders.Yahoo, requestsPerSecond: 10);
        using var second = factory.Create(PriceProviders.Yahoo, requestsPerSecond: 10);
        var fetches = new[] { first, second }.SelectMany(client => Enumerable.Range(0, 6).Select(_ => client.GetAsync(new Uri(Path.TrimStart('/'), UriKind.Relative))));

        var responses = await Task.WhenAll(fetches);

        Assert.All(responses, r => Assert.Equal(200, (int)r.StatusCode));
        Assert.InRange(_stub.Network.MaxInFlight, 1, 2);
        var starts = _stub.Network.Starts.OrderBy(t => t).ToList();
        // 12 requests at 2 x 10/s take at least 5 intervals of 100 ms after the first pair.
        Assert.True(starts[^1] - starts[0] >= TimeSpan.FromMilliseconds(480), $"12 requests started within {(starts[^1] - starts[0]).TotalMilliseconds} ms");
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_disposed_client_leaves_the_factorys_pooled_handlers_working_for_the_next()
    {
        _stub.Respond(Path, 200, Ok);
        var factory = _stub.Factory();
        using (var done = factory.Create(PriceProviders.Yahoo))
        {
            (await done.GetAsync(new Uri(Path.TrimStart('/'), UriKind.Relative))).Dispose();
        }

        using var next = factory.Create(PriceProviders.Yahoo);
        using var response = await next.GetAsync(new Uri(Path.TrimStart('/'), UriKind.Relative));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(2, _stub.Calls(Path));
    }

    [Fact]
    public void Only_the_network_providers_have_clients_and_the_sample_provider_reads_no_provider_settings()
    {
        using var factory = new ProviderHttpClients(new ProviderOptions());
        Assert.Throws<UnknownProviderException>(() => factory.Create(PriceProviders.Csv));

        using var providers = new PriceProviderSource(() => throw new ProviderConfigurationException("not read"), new FileSystemObjectStore(System.IO.Path.GetTempPath()), "b");
        using var lease = providers.Lease(PriceProviders.Sample, null);
        Assert.Equal(PriceProviders.Sample, lease.Provider.Name);
        Assert.Throws<ProviderConfigurationException>(() => providers.Lease(PriceProviders.Yahoo, 1));
    }
}
