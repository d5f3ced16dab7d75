using System.Buffers;
using System.Text.Json;

namespace StockFlow.Functions.Lambda;

/// <summary>
/// Lambda's JSON log format: one object per line on stdout with timestamp, level, message and
/// requestId, which CloudWatch Logs Insights and the console parse without configuration.
/// Written as UTF-8 bytes straight to the stream (stdout), without Console's writer set-up.
/// </summary>
/// <param name="output">Where the lines go: stdout in Lambda, a memory stream in tests.</param>
public sealed class JsonLog(Stream output)
{
    private readonly Lock _gate = new();

    /// <summary>Writes an <c>INFO</c> line.</summary>
    public void Info(string message, string? requestId = null, IReadOnlyDictionary<string, string?>? fields = null) =>
        Write("INFO", message, requestId, fields);

    /// <summary>Writes an <c>ERROR</c> line.</summary>
    public void Error(string message, string? requestId = null, IReadOnlyDictionary<string, string?>? fields = null) =>
        Write("ERROR", message, requestId, fields);

    /// <summary>Writes one line; safe to call from several threads (lines are never interleaved).</summary>
    /// <param name="level">Lambda's level names: <c>INFO</c>, <c>ERROR</c>.</param>
    /// <param name="message">The message.</param>
    /// <param name="requestId">The invocation the line belongs to; null outside an invocation (init).</param>
    /// <param name="fields">More string fields for the object (e.g. <c>errorType</c>); null for none.</param>
    public void Write(string level, string message, string? requestId, IReadOnlyDictionary<string, string?>? fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", level);
            json.WriteString("message", message);
            if (requestId is not null)
            {
                json.WriteString("requestId", requestId);
            }

            foreach (var (name, value) in fields ?? new Dictionary<string, string?>())
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
        }

        buffer.Write("\n"u8);
        lock (_gate)
        {
            output.Write(buffer.WrittenSpan);
            output.Flush();
        }
    }
}
