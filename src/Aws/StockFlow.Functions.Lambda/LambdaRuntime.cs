using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Functions.Hosting;
using StockFlow.Providers;

namespace StockFlow.Functions.Lambda;

/// <summary>
/// The custom runtime's loop: init once (choose the handler, or report an init error and
/// stop), then forever long-poll the next event, run the handler under the event's deadline
/// and post its answer or its error. A handler's exception is the invocation's error, never
/// the process's: the sandbox keeps serving.
/// </summary>
/// <param name="environment">The sandbox's configuration, read at init.</param>
/// <param name="createHandler">Builds the handler <c>_HANDLER</c> names; a configuration error from it (unknown handler, missing variable, bad provider setting) is reported as an init error.</param>
/// <param name="log">Where the JSON log lines go.</param>
public sealed class LambdaRuntime(LambdaEnvironment environment, Func<LambdaEnvironment, ILambdaHandler> createHandler, JsonLog log)
{
    /// <summary>The handler is cancelled this long before the deadline, so its error can still be posted.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(250);

    /// <summary>Lambda's largest function timeout (15 minutes): no invocation is given longer than this.</summary>
    public static readonly TimeSpan LongestInvocation = TimeSpan.FromMinutes(15);

    /// <summary>How long a cancelled handler may take to stop before the process gives up on it.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    /// <summary>The variable a custom runtime sets to each invocation's X-Ray trace header; the AWS SDK reads it.</summary>
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>Runs init, then serves events until the Runtime API goes away or <paramref name="cancellationToken"/> fires.</summary>
    /// <returns>The process exit code: 0 when cancelled, 1 after an init error, 2 when the Runtime API is gone, 3 when a
    /// handler ignored its deadline (Lambda then replaces the sandbox).</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var api = new RuntimeApiClient(environment.RuntimeApi);
        ILambdaHandler handler;
        try
        {
            handler = createHandler(environment);
        }
        catch (Exception ex) when (ex is UnknownHandlerException or LambdaConfigurationException or ProviderConfigurationException or ArgumentException or InvalidOperationException)
        {
            var error = FunctionError.From(ex);
            log.Error($"Init failed: {ex.Message}", fields: new Dictionary<string, string?> { ["errorType"] = error.ErrorType });
            await api.ReportInitErrorAsync(error, cancellationToken);
            return 1;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            Invocation invocation;
            try
            {
                invocation = await api.NextAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or RuntimeApiException)
            {
                log.Error($"The Runtime API is not answering: {ex.Message}");
                return 2;
            }

            if (!await InvokeAsync(api, handler, invocation, cancellationToken))
            {
                return 3;
            }
        }

        return 0;
    }

    /// <returns>False when the handler ignored its deadline and the process must be replaced.</returns>
    private async Task<bool> InvokeAsync(RuntimeApiClient api, ILambdaHandler handler, Invocation invocation, CancellationToken cancellationToken)
    {
        // Custom runtimes must propagate the X-Ray trace header themselves (the SDK reads it from here).
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);
        var started = Stopwatch.GetTimestamp();
        var requestId = invocation.RequestId;
        log.Info($"{handler.Name} invoked", requestId, new Dictionary<string, string?>
        {
            ["invokedFunctionArn"] = invocation.InvokedFunctionArn,
            ["traceId"] = Environment.GetEnvironmentVariable(TraceIdVariable),
        });

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Lambda never runs an invocation longer than its largest timeout: a later deadline (a wrong clock or header) is
        // held to that, as timers cannot wait beyond ~49 days anyway.
        var remaining = invocation.Deadline is { } at
            ? TimeSpan.FromTicks(Math.Clamp((at - DateTimeOffset.UtcNow - DeadlineMargin).Ticks, 0, LongestInvocation.Ticks))
            : Timeout.InfiniteTimeSpan;
        if (remaining != Timeout.InfiniteTimeSpan)
        {
            deadline.CancelAfter(remaining);
        }

        JsonNode? result = null;
        Exception? failure = null;
        var replaceProcess = false;
        try
        {
            var payload = ParsePayload(invocation.Body, handler.Name);
            var work = handler.HandleAsync(payload, deadline.Token);
            result = remaining == Timeout.InfiniteTimeSpan
                ? await work
                : await work.WaitAsync(remaining + StopGrace, cancellationToken);
        }
        catch (TimeoutException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            failure = DeadlineError(handler, invocation, started, stopped: false);
            replaceProcess = true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            failure = DeadlineError(handler, invocation, started, stopped: true);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            failure = ex;
        }

        if (failure is null)
        {
            try
            {
                await api.RespondAsync(requestId, result?.ToJsonString(HandlerJson.Options) ?? "null", cancellationToken);
            }
            catch (RuntimeApiException ex)
            {
                failure = ex;
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);
        if (failure is null)
        {
            log.Info($"{handler.Name} succeeded", requestId, new Dictionary<string, string?> { ["durationMs"] = elapsed });
            return true;
        }

        var error = FunctionError.From(failure);
        log.Error($"{handler.Name} failed: {error.ErrorType}: {error.ErrorMessage}", requestId,
            new Dictionary<string, string?> { ["errorType"] = error.ErrorType, ["durationMs"] = elapsed });
        await api.ReportErrorAsync(requestId, error, cancellationToken);
        if (replaceProcess)
        {
            log.Error($"{handler.Name} did not stop within {StopGrace.TotalSeconds:0} s of its deadline; exiting so Lambda starts a fresh sandbox.", requestId);
        }

        return !replaceProcess;
    }

    private static JsonNode? ParsePayload(byte[] body, string handlerName)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new InvalidPayloadException($"The {handlerName} function's event is not JSON: {ex.Message}", ex);
        }
    }

    private static DeadlineExceededException DeadlineError(ILambdaHandler handler, Invocation invocation, long started, bool stopped) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"The {handler.Name} function reached its deadline ({invocation.Deadline:O}) after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s{(stopped ? "" : " and did not stop")}; raise its timeout or give it less work per invocation."));
}
