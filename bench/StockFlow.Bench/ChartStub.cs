using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StockFlow.Bench;

/// <summary>
/// A loopback stand-in for Yahoo's chart endpoint with a fixed latency. It records when each request arrived and
/// how many were in flight at once, so the benchmark can check the limits the client promised to honour.
/// </summary>
internal sealed class ChartStub : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, byte[]> _bodies = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<TimeSpan> _arrivals = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _loop;
    private int _inFlight;
    private int _maxInFlight;
    private int _notFound;

    public ChartStub(TimeSpan latency)
    {
        Latency = latency;
        var port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        _listener.Prefixes.Add(BaseUrl.ToString());
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri BaseUrl { get; }

    public TimeSpan Latency { get; }

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int Requests => _arrivals.Count;

    public int NotFound => Volatile.Read(ref _notFound);

    public void Serve(string symbol, string body) => _bodies[symbol] = Encoding.UTF8.GetBytes(body);

    /// <summary>The most requests that arrived within any one-second window [t, t + 1 s).</summary>
    public int MaxRequestsInAnySecond()
    {
        var times = _arrivals.Order().ToArray();
        var best = 0;
        var start = 0;
        for (var end = 0; end < times.Length; end++)
        {
            while (times[end] - times[start] >= TimeSpan.FromSeconds(1))
            {
                start++;
            }

            best = Math.Max(best, end - start + 1);
        }

        return best;
    }

    public void Reset()
    {
        _arrivals.Clear();
        Volatile.Write(ref _maxInFlight, 0);
    }

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        _arrivals.Enqueue(_clock.Elapsed);
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        try
        {
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency);
            }

            // /v8/finance/chart/{symbol}?period1=...
            var symbol = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath.Split('/')[^1]);
            var response = context.Response;
            if (_bodies.TryGetValue(symbol, out var body))
            {
                response.StatusCode = 200;
                response.ContentType = "application/json";
            }
            else
            {
                Interlocked.Increment(ref _notFound);
                response.StatusCode = 404;
                response.ContentType = "application/json";
                body = Encoding.UTF8.GetBytes("""{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}""");
            }

            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client gave up on this request (e.g. its timeout); its retry is counted as a new arrival.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
