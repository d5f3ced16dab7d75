using System.Text.Json.Nodes;

namespace StockFlow.Asl.History;

/// <summary>
/// One execution history event, as GetExecutionHistory returns it: ids count from 1, PreviousEventId
/// links to the event before it in the same branch/iteration, and Details holds the single
/// type-specific field (e.g. <c>{"stateEnteredEventDetails":{"name":"X","input":"{...}"}}</c>).
/// </summary>
public sealed record HistoryEvent
{
    private readonly Func<JsonObject>? detailsFactory;
    private JsonObject? details;

    /// <summary>An event with its details already built (how a store or a test makes one).</summary>
    /// <param name="Id">The event's position in the history, from 1.</param>
    /// <param name="PreviousEventId">The event before it in the same branch or iteration; 0 for the first.</param>
    /// <param name="Type">AWS's event type, e.g. <c>TaskStateEntered</c>, <c>ExecutionFailed</c>.</param>
    /// <param name="Timestamp">When it was recorded.</param>
    /// <param name="Details">The single type-specific field (see <see cref="Details"/>).</param>
    public HistoryEvent(long Id, long PreviousEventId, string Type, DateTimeOffset Timestamp, JsonObject Details)
    {
        ArgumentNullException.ThrowIfNull(Details);
        this.Id = Id;
        this.PreviousEventId = PreviousEventId;
        this.Type = Type;
        this.Timestamp = Timestamp;
        details = Details;
    }

    /// <summary>Details built on first read: a run that nobody inspects event by event stays cheap.</summary>
    internal HistoryEvent(long id, long previousEventId, string type, DateTimeOffset timestamp, Func<JsonObject> detailsFactory)
    {
        Id = id;
        PreviousEventId = previousEventId;
        Type = type;
        Timestamp = timestamp;
        this.detailsFactory = detailsFactory;
    }

    /// <summary>The event's position in the history, from 1 (a redrive continues the numbering).</summary>
    public long Id { get; init; }

    /// <summary>The event before it in the same branch or iteration; 0 for the first event.</summary>
    public long PreviousEventId { get; init; }

    /// <summary>AWS's event type, e.g. <c>ExecutionStarted</c>, <c>TaskStateEntered</c>, <c>MapIterationFailed</c>.</summary>
    public string Type { get; init; }

    /// <summary>When it was recorded, by the execution's <see cref="Execution.ExecutionOptions.TimeProvider"/>.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The single type-specific field, e.g. <c>{"stateEnteredEventDetails":{...}}</c>; empty for events without details.</summary>
    public JsonObject Details
    {
        get
        {
            if (details is { } d) return d;
            var built = detailsFactory!();
            return Interlocked.CompareExchange(ref details, built, null) ?? built;
        }

        init => details = value;
    }

    /// <summary>The positional parts, as a positional record would give them.</summary>
    /// <param name="Id">Receives <see cref="Id"/>.</param>
    /// <param name="PreviousEventId">Receives <see cref="PreviousEventId"/>.</param>
    /// <param name="Type">Receives <see cref="Type"/>.</param>
    /// <param name="Timestamp">Receives <see cref="Timestamp"/>.</param>
    /// <param name="Details">Receives <see cref="Details"/> (building it if it is not built yet).</param>
    public void Deconstruct(out long Id, out long PreviousEventId, out string Type, out DateTimeOffset Timestamp, out JsonObject Details)
    {
        Id = this.Id;
        PreviousEventId = this.PreviousEventId;
        Type = this.Type;
        Timestamp = this.Timestamp;
        Details = this.Details;
    }

    /// <summary>Equal ids, types and timestamps and deep-equal details (JSON values are compared, not references).</summary>
    public bool Equals(HistoryEvent? other) =>
        other is not null && Id == other.Id && PreviousEventId == other.PreviousEventId
        && string.Equals(Type, other.Type, StringComparison.Ordinal) && Timestamp == other.Timestamp
        && JsonNode.DeepEquals(Details, other.Details);

    /// <summary>A hash of everything but the details, consistent with <see cref="Equals(HistoryEvent?)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(Id, PreviousEventId, Type, Timestamp);

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
    /// <summary>Called once per event, in id order, while the recorder holds its lock: keep it short and record no events from it.</summary>
    void OnEvent(HistoryEvent historyEvent);
}
