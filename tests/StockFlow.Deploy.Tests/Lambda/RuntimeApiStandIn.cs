using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace StockFlow.Deploy.Tests.Lambda;

/// <summary>What the runtime answered for one invocation (or for init).</summary>
public sealed record RuntimeAnswer(string Kind, string Body, string? ErrorTypeHeader);

/// <summary>
/// The Lambda Runtime API 2018-06-01 as Lambda serves it to a custom runtime, on loopback with
/// real HTTP (Kestrel): <c>next</c> long-polls until a test queues an event, the answer posts
/// complete the test's invocation. Also serves <c>/slow/*</c>, a market-data endpoint that never
/// answers, for the deadline test.
/// </summary>
public sealed class RuntimeApiStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<(string RequestId, string Body, IReadOnlyDictionary<string, string> Headers)> _events =
        Channel.CreateUnbounded<(string, string, IReadOnlyDictionary<string, string>)>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RuntimeAnswer>> _pending = new();
    private readonly TaskCompletionSource<RuntimeAnswer> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<long> _firstNext = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RuntimeApiStandIn(WebApplication app) => _app = app;

    /// <summary>host:port, the value of AWS_LAMBDA_RUNTIME_API.</summary>
    public string Address { get; private set; } = "";

    /// <summary>Stopwatch timestamp of the first <c>next</c> request (cold start ends here).</summary>
    public Task<long> FirstNext => _firstNext.Task;

    public Task<RuntimeAnswer> InitError => _initError.Task;

    public static async Task<RuntimeApiStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var standIn = new RuntimeApiStandIn(app);
        standIn.Map(app);
        await app.StartAsync();
        var address = app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.Single()
            : throw new InvalidOperationException("Kestrel did not start.");
        standIn.Address = new Uri(address).Authority;
        return standIn;
    }

    /// <summary>Queues an event and waits for the runtime's answer to it.</summary>
    /// <param name="body">The event.</param>
    /// <param name="deadlineIn">When the invocation's deadline is, from now (default 5 minutes).</param>
    /// <param name="traceId">The trace header.</param>
    /// <param name="wait">How long to wait for the answer.</param>
    /// <param name="deadlineHeader">The Lambda-Runtime-Deadline-Ms header as sent, instead of one from <paramref name="deadlineIn"/>.</param>
    public async Task<RuntimeAnswer> InvokeAsync(string body, TimeSpan? deadlineIn = null, string? traceId = null, TimeSpan? wait = null, string? deadlineHeader = null)
    {
        var requestId = Guid.NewGuid().ToString();
        var answer = new TaskCompletionSource<RuntimeAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[requestId] = answer;
        var deadline = DateTimeOffset.UtcNow + (deadlineIn ?? TimeSpan.FromMinutes(5));
        var headers = new Dictionary<string, string>
        {
            ["Lambda-Runtime-Aws-Request-Id"] = requestId,
            ["Lambda-Runtime-Deadline-Ms"] = deadlineHeader ?? deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:stockflow-test",
            ["Lambda-Runtime-Trace-Id"] = traceId ?? "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        };
        await _events.Writer.WriteAsync((requestId, body, headers));
        return await answer.Task.WaitAsync(wait ?? TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/2018-06-01/runtime/invocation/next", async (HttpContext context) =>
        {
            _firstNext.TrySetResult(Stopwatch.GetTimestamp());
            try
            {
                var (requestId, body, headers) = await _events.Reader.ReadAsync(context.RequestAborted);
                foreach (var (name, value) in headers)
                {
                    context.Response.Headers[name] = value;
                }

                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(body, context.RequestAborted);
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                // The runtime went away or the test is over.
            }
        });
        app.MapPost("/2018-06-01/runtime/invocation/{requestId}/response", (string requestId, HttpContext context) => Complete(requestId, "response", context));
        app.MapPost("/2018-06-01/runtime/invocation/{requestId}/error", (string requestId, HttpContext context) => Complete(requestId, "error", context));
        app.MapPost("/2018-06-01/runtime/init/error", async (HttpContext context) =>
        {
            _initError.TrySetResult(await ReadAnswerAsync("init-error", context));
            return Results.Accepted();
        });
        app.MapGet("/slow/{**rest}", async (HttpContext context) =>
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
    }

    private async Task<IResult> Complete(string requestId, string kind, HttpContext context)
    {
        if (!_pending.TryRemove(requestId, out var answer))
        {
            return Results.BadRequest(new { errorMessage = $"Unknown or already answered request id {requestId}", errorType = "InvalidRequestID" });
        }

        answer.TrySetResult(await ReadAnswerAsync(kind, context));
        return Results.Accepted();
    }

    private static async Task<RuntimeAnswer> ReadAnswerAsync(string kind, HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var errorType = context.Request.Headers.TryGetValue("Lambda-Runtime-Function-Error-Type", out var value) ? value.ToString() : null;
        return new RuntimeAnswer(kind, body, errorType);
    }
}
