using System.Text.Json.Nodes;

namespace StockFlow.Asl;

/// <summary>
/// One execution history event, as GetExecutionHistory returns it: ids count from 1, PreviousEventId
/// links to the event before it in the same branch/iteration, and Details holds the single
/// type-specific field (e.g. <c>{"stateEnteredEventDetails":{"name":"X","input":"{...}"}}</c>).
/// </summary>
public sealed record HistoryEvent(long Id, long PreviousEventId, string Type, DateTimeOffset Timestamp, JsonObject Details)
{
    /// <summary>The type-specific details object (the only property of <see cref="Details"/>), or null.</summary>
    public JsonObject? Body => Details.Count == 0 ? null : Details.First().Value as JsonObject;

    /// <summary>A string field of the details body (name, input, output, error, cause, ...).</summary>
    public string? Field(string name) =>
        Body is { } b && b.TryGetPropertyValue(name, out var v) && v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;

    /// <summary>The event as AWS serializes it in GetExecutionHistory.</summary>
    public JsonObject ToAwsJson()
    {
        var o = new JsonObject
        {
            ["id"] = Id,
            ["previousEventId"] = PreviousEventId,
            ["timestamp"] = Timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["type"] = Type,
        };
        foreach (var (k, v) in Details) o[k] = v?.DeepClone();
        return o;
    }

    /// <summary>Rebuilds an event from <see cref="ToAwsJson"/> output (how a store hands events back).</summary>
    public static HistoryEvent FromAwsJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var details = new JsonObject();
        foreach (var (k, v) in json)
        {
            if (k.EndsWith("EventDetails", StringComparison.Ordinal)) details[k] = v?.DeepClone();
        }

        return new HistoryEvent(
            json["id"]!.GetValue<long>(),
            json["previousEventId"]?.GetValue<long>() ?? 0,
            json["type"]!.GetValue<string>(),
            DateTimeOffset.Parse(json["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind),
            details);
    }
}

/// <summary>Receives every history event synchronously as it is recorded, so a store can persist them one by one.</summary>
public interface IExecutionEventSink
{
    void OnEvent(HistoryEvent historyEvent);
}
