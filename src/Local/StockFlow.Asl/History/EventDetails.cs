using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Asl.Model;

namespace StockFlow.Asl.History;

/// <summary>Builds the type-specific details objects with AWS's field names; payloads are JSON strings as in AWS.</summary>
internal static class EventDetails
{
    private static readonly JsonSerializerOptions Compact = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static (System.Buffers.ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? cached;

    /// <summary>Compact JSON as AWS writes it (non-ASCII kept); a per-thread writer keeps this allocation-light.</summary>
    public static string ToJson(JsonNode? node)
    {
        if (node is null) return "null";
        if (cached is not { } c)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
            c = (buffer, new Utf8JsonWriter(buffer, WriterOptions));
            cached = c;
        }

        c.Buffer.ResetWrittenCount();
        c.Writer.Reset(c.Buffer);
        node.WriteTo(c.Writer, Compact);
        c.Writer.Flush();
        return System.Text.Encoding.UTF8.GetString(c.Buffer.WrittenSpan);
    }

    private static JsonObject Wrap(string field, JsonObject body) => new() { [field] = body };

    private static JsonObject NotTruncated() => new() { ["truncated"] = false };

    public static JsonObject ExecutionStarted(string input, string? roleArn)
    {
        var body = new JsonObject { ["input"] = input, ["inputDetails"] = NotTruncated() };
        if (roleArn is not null) body["roleArn"] = roleArn;
        return Wrap("executionStartedEventDetails", body);
    }

    public static JsonObject ExecutionSucceeded(string output) =>
        Wrap("executionSucceededEventDetails", new JsonObject { ["output"] = output, ["outputDetails"] = NotTruncated() });

    /// <summary>EvaluationFailed: a JSONata expression of a state failed (AWS's evaluationFailedEventDetails).</summary>
    public static JsonObject EvaluationFailed(string error, string cause, string location, string state) =>
        Wrap("evaluationFailedEventDetails", new JsonObject { ["cause"] = cause, ["error"] = error, ["location"] = location, ["state"] = state });

    public static JsonObject ErrorCause(string field, string? error, string? cause)
    {
        var body = new JsonObject();
        if (error is not null) body["error"] = error;
        if (cause is not null) body["cause"] = cause;
        return Wrap(field, body);
    }

    public static JsonObject ExecutionRedriven(int redriveCount) =>
        Wrap("executionRedrivenEventDetails", new JsonObject { ["redriveCount"] = redriveCount });

    public static JsonObject StateEntered(string name, string input) =>
        Wrap("stateEnteredEventDetails", new JsonObject { ["name"] = name, ["input"] = input, ["inputDetails"] = NotTruncated() });

    public static JsonObject StateExited(string name, string output, JsonObject? assigned)
    {
        var body = new JsonObject { ["name"] = name, ["output"] = output, ["outputDetails"] = NotTruncated() };
        if (assigned is { Count: > 0 })
        {
            body["assignedVariables"] = assigned.DeepClone();
            body["assignedVariablesDetails"] = NotTruncated();
        }

        return Wrap("stateExitedEventDetails", body);
    }

    public static JsonObject TaskScheduled(TaskStateDefinition task, string region, string parameters, int? timeout, int? heartbeat)
    {
        var body = new JsonObject
        {
            ["resourceType"] = task.ResourceType,
            ["resource"] = task.ResourceName,
            ["region"] = region,
            ["parameters"] = parameters,
        };
        if (timeout is not null) body["timeoutInSeconds"] = timeout.Value;
        if (heartbeat is not null) body["heartbeatInSeconds"] = heartbeat.Value;
        return Wrap("taskScheduledEventDetails", body);
    }

    public static JsonObject TaskStarted(TaskStateDefinition task) =>
        Wrap("taskStartedEventDetails", new JsonObject { ["resourceType"] = task.ResourceType, ["resource"] = task.ResourceName });

    public static JsonObject TaskSucceeded(TaskStateDefinition task, string output) =>
        Wrap("taskSucceededEventDetails", new JsonObject
        {
            ["resourceType"] = task.ResourceType,
            ["resource"] = task.ResourceName,
            ["output"] = output,
            ["outputDetails"] = NotTruncated(),
        });

    public static JsonObject TaskError(string field, TaskStateDefinition task, string error, string cause) =>
        Wrap(field, new JsonObject
        {
            ["resourceType"] = task.ResourceType,
            ["resource"] = task.ResourceName,
            ["error"] = error,
            ["cause"] = cause,
        });

    public static JsonObject MapStateStarted(int length) =>
        Wrap("mapStateStartedEventDetails", new JsonObject { ["length"] = length });

    public static JsonObject MapIteration(string field, string name, int index) =>
        Wrap(field, new JsonObject { ["name"] = name, ["index"] = index });

    public static JsonObject MapRunStarted(string mapRunArn) =>
        Wrap("mapRunStartedEventDetails", new JsonObject { ["mapRunArn"] = mapRunArn });

    public static JsonObject MapRunRedriven(string mapRunArn, int redriveCount) =>
        Wrap("mapRunRedrivenEventDetails", new JsonObject { ["mapRunArn"] = mapRunArn, ["redriveCount"] = redriveCount });

    public static JsonObject Empty() => [];
}
