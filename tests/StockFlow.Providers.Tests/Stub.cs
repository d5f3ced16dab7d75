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

    private readonly List<ProviderHttpClients> _factories = [];

    /// <summary>A client from the providers' own client factory (see <see cref="Factory"/>).</summary>
    public HttpClient Client(HttpResilienceSettings? settings = null, double? requestsPerSecond = null, string provider = PriceProviders.Yahoo) =>
        Factory(settings).Create(provider, requestsPerSecond);

    /// <summary>The providers' own client factory, with this stub as both hosts and <see cref="Network"/> as the network.</summary>
    public ProviderHttpClients Factory(HttpResilienceSettings? settings = null)
    {
        var factory = new ProviderHttpClients(Options(settings), () => new NonDisposing(Network));
        _factories.Add(factory);
        return factory;
    }

    /// <summary>Provider options pointing both hosts at this stub.</summary>
    public ProviderOptions Options(HttpResilienceSettings? settings = null) =>
        new() { YahooBaseUrl = BaseUrl, StooqBaseUrl = BaseUrl, Http = settings ?? FastSettings() };

    public YahooChartProvider Yahoo(HttpResilienceSettings? settings = null, TimeProvider? clock = null) =>
        new(Client(settings), clock ?? Clock());

    public StooqProvider Stooq(string? apiKey = null, HttpResilienceSettings? settings = null) => new(Client(settings, provider: PriceProviders.Stooq), apiKey);

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
        foreach (var factory in _factories)
        {
            factory.Dispose();
        }

        Server.Stop();
        Server.Dispose();
    }
}

/// <summary>The factory disposes a chain's primary handler when it recycles the chain; the stub's counting one lives on.</summary>
internal sealed class NonDisposing(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override void Dispose(bool disposing)
    {
        // Deliberately keeps the shared inner handler alive.
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
