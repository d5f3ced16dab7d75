using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using StockFlow.Providers.Http;
using StockFlow.Providers.Stooq;
using StockFlow.Providers.Yahoo;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace StockFlow.Providers.Tests;

/// <summary>A WireMock server on loopback plus clients wired exactly as production, with fast back-offs.</summary>
internal sealed class Stub : IDisposable
{
    public Stub() => Server = WireMockServer.Start();

    public WireMockServer Server { get; }

    public Uri BaseUrl => new(Server.Url! + "/");

    public CountingHandler Network { get; } = new();

    public static HttpResilienceSettings FastSettings(int retries = 3) => new()
    {
        RequestsPerSecond = 1000,
        MaxConcurrency = 16,
        MaxRetryAttempts = retries,
        BaseDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        TotalTimeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>A fixed "now" well after every fixture, so no recorded bar counts as today's live bar.</summary>
    public static FakeTimeProvider Clock(DateTimeOffset? now = null) => new(now ?? new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));

    public HttpClient Client(HttpResilienceSettings? settings = null)
    {
        settings ??= FastSettings();
        return ProviderHttpClient.Create(BaseUrl, ProviderOptions.DefaultUserAgent, settings, new ProviderRateLimit(settings), Network);
    }

    public YahooChartProvider Yahoo(HttpResilienceSettings? settings = null, TimeProvider? clock = null) =>
        new(Client(settings), clock ?? Clock());

    public StooqProvider Stooq(string? apiKey = null, HttpResilienceSettings? settings = null) => new(Client(settings), apiKey);

    public void Respond(string path, int status, string body, string contentType = "application/json", TimeSpan? delay = null, string? retryAfter = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body);
        if (retryAfter is not null)
            response = response.WithHeader("Retry-After", retryAfter);
        if (delay is { } d)
            response = response.WithDelay(d);
        Server.Given(Request.Create().WithPath(path).UsingGet()).RespondWith(response);
    }

    /// <summary>Answers the calls to <paramref name="path"/> in order; the last answer repeats.</summary>
    public void Sequence(string path, params (int Status, string Body, TimeSpan? Delay)[] answers)
    {
        if (answers.Length == 1)
        {
            Respond(path, answers[0].Status, answers[0].Body, answers[0].Body.StartsWith('{') ? "application/json" : "text/plain", answers[0].Delay);
            return;
        }
        var scenario = "seq" + Guid.NewGuid().ToString("N");
        for (var i = 0; i < answers.Length; i++)
        {
            var (status, body, delay) = answers[i];
            var response = Response.Create().WithStatusCode(status).WithBody(body)
                .WithHeader("Content-Type", body.StartsWith('{') ? "application/json" : "text/plain");
            if (delay is { } d)
                response = response.WithDelay(d);
            var given = Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario(scenario);
            if (i > 0)
                given = given.WhenStateIs(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (i < answers.Length - 1)
                given = given.WillSetStateTo((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            given.RespondWith(response);
        }
    }

    public int Calls(string path) => Server.LogEntries.Count(e => e.RequestMessage.Path == path);

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
    }
}

/// <summary>The network end of the client: counts requests in flight and when each started.</summary>
internal sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private int _inFlight;
    private int _maxInFlight;

    public ConcurrentQueue<TimeSpan> Starts { get; } = new();

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public ConcurrentQueue<HttpRequestMessage> Requests { get; } = new();

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Starts.Enqueue(Clock.Elapsed);
        Requests.Enqueue(request);
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
