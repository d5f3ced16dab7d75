using System.Text;
using Microsoft.AspNetCore.Http;
using StockFlow.ControlPlane.Executions;

namespace StockFlow.ControlPlane.Pages;

/// <summary>
/// Server-Sent Events for the console's live views: the stream sends what <c>render</c> returns when it
/// differs from what it sent last, re-rendering whenever an execution changes (<see cref="ExecutionChanges"/>)
/// and at least every few seconds (executions run by another process, e.g. <c>stockflow run</c>, do not
/// signal). The payload is the same server-rendered, HTML-encoded markup or JSON the polling routes return.
/// </summary>
internal static class LiveStream
{
    /// <summary>Re-render at least this often without a signal; also keeps idle connections open.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);

    /// <summary>Bursts of events (a run records many per second) are coalesced into one message per interval.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(250);

    public static async Task StreamAsync(HttpContext context, ExecutionChanges changes, string eventName, Func<string?> render, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(render);
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var token = linked.Token;
        string? last = null;
        try
        {
            // Tell the browser how long to wait before reconnecting after the server went away.
            await response.WriteAsync("retry: 2000\n\n", token);
            while (!token.IsCancellationRequested)
            {
                var seen = changes.Version;
                var payload = render();
                if (payload is null)
                {
                    return;
                }

                if (payload != last)
                {
                    await response.WriteAsync(Message(eventName, payload), token);
                    last = payload;
                }
                else
                {
                    await response.WriteAsync(": idle\n\n", token);
                }

                await response.Body.FlushAsync(token);
                await changes.WaitAsync(seen, Heartbeat, token);
                await Task.Delay(MinInterval, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The page was closed or the server is stopping.
        }
    }

    /// <summary>One SSE message; every line of the payload is its own <c>data:</c> line.</summary>
    public static string Message(string eventName, string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var message = new StringBuilder();
        message.Append("event: ").Append(eventName).Append('\n');
        foreach (var line in payload.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            message.Append("data: ").Append(line).Append('\n');
        }

        return message.Append('\n').ToString();
    }
}
