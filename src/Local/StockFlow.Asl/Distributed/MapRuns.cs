using System.Text.Json.Nodes;

namespace StockFlow.Asl.Distributed;

/// <summary>
/// Counts of a Map Run's items or child executions, as DescribeMapRun's <c>itemCounts</c> and
/// <c>executionCounts</c> report them (with ItemBatcher one child execution carries many items).
/// </summary>
public sealed record MapRunCounts(
    long Pending,
    long Running,
    long Succeeded,
    long Failed,
    long TimedOut,
    long Aborted,
    long Total,
    long ResultsWritten,
    long FailuresNotRedrivable,
    long PendingRedrive)
{
    public static MapRunCounts Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Finished, whatever the outcome.</summary>
    public long Done => Succeeded + Failed + TimedOut + Aborted;

    /// <summary>The AWS JSON shape (camelCase, every field present).</summary>
    public JsonObject ToJson() => new()
    {
        ["pending"] = Pending,
        ["running"] = Running,
        ["succeeded"] = Succeeded,
        ["failed"] = Failed,
        ["timedOut"] = TimedOut,
        ["aborted"] = Aborted,
        ["total"] = Total,
        ["resultsWritten"] = ResultsWritten,
        ["failuresNotRedrivable"] = FailuresNotRedrivable,
        ["pendingRedrive"] = PendingRedrive,
    };

    public static MapRunCounts FromJson(JsonNode? json)
    {
        long N(string name) => json?[name] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
        return new MapRunCounts(
            N("pending"), N("running"), N("succeeded"), N("failed"), N("timedOut"), N("aborted"), N("total"),
            N("resultsWritten"), N("failuresNotRedrivable"), N("pendingRedrive"));
    }
}

/// <summary>One Map Run of a Distributed Map state, as DescribeMapRun describes it.</summary>
public sealed record MapRunRecord
{
    public required string MapRunArn { get; init; }

    public required string ExecutionArn { get; init; }

    /// <summary>The Distributed Map state (its Label when it has one) that started the run.</summary>
    public required string StateName { get; init; }

    /// <summary>RUNNING, SUCCEEDED, FAILED or ABORTED.</summary>
    public required string Status { get; init; }

    public required DateTimeOffset StartDate { get; init; }

    public DateTimeOffset? StopDate { get; init; }

    /// <summary>The MaxConcurrency the definition asked for (0 = as many as possible).</summary>
    public int MaxConcurrency { get; init; }

    public double ToleratedFailurePercentage { get; init; }

    public long ToleratedFailureCount { get; init; }

    public required MapRunCounts ItemCounts { get; init; }

    public required MapRunCounts ExecutionCounts { get; init; }

    public int RedriveCount { get; init; }

    public DateTimeOffset? RedriveDate { get; init; }

    /// <summary>Why the run failed (e.g. States.ExceedToleratedFailureThreshold); null otherwise.</summary>
    public string? Error { get; init; }

    public string? Cause { get; init; }

    /// <summary>DescribeMapRun's response shape (timestamps as ISO-8601 strings), for the CLI and the console API.</summary>
    public JsonObject ToDescribeJson() => new()
    {
        ["mapRunArn"] = MapRunArn,
        ["executionArn"] = ExecutionArn,
        ["status"] = Status,
        ["startDate"] = StartDate.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["stopDate"] = StopDate?.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["maxConcurrency"] = MaxConcurrency,
        ["toleratedFailurePercentage"] = ToleratedFailurePercentage,
        ["toleratedFailureCount"] = ToleratedFailureCount,
        ["itemCounts"] = ItemCounts.ToJson(),
        ["executionCounts"] = ExecutionCounts.ToJson(),
        ["redriveCount"] = RedriveCount,
        ["redriveDate"] = RedriveDate?.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };

    public const string Running = "RUNNING";
    public const string Succeeded = "SUCCEEDED";
    public const string Failed = "FAILED";
    public const string Aborted = "ABORTED";
}

/// <summary>One child execution of a Map Run: an item, or a batch of items with ItemBatcher.</summary>
public sealed record ChildExecutionRecord
{
    /// <summary>The position of the item (or batch) in the Map Run, from 0.</summary>
    public required int Index { get; init; }

    public required string Name { get; init; }

    /// <summary>SUCCEEDED, FAILED, TIMED_OUT or ABORTED.</summary>
    public required string Status { get; init; }

    public required string Input { get; init; }

    public string? Output { get; init; }

    public string? Error { get; init; }

    public string? Cause { get; init; }

    public required DateTimeOffset StartDate { get; init; }

    public DateTimeOffset? StopDate { get; init; }

    /// <summary>How many items the child processed (1 without ItemBatcher).</summary>
    public int ItemCount { get; init; } = 1;

    /// <summary>
    /// The child's own history (GetExecutionHistory's <c>events</c> array as JSON); kept for unsuccessful
    /// children only, so 10,000 successful children cost one row each and no events.
    /// </summary>
    public string? HistoryJson { get; init; }

    public bool IsSucceeded => Status == MapRunRecord.Succeeded;
}

/// <summary>
/// Where Map Runs and their child executions are kept (the local execution store). The runtime writes
/// finished children in batches and the run's counts at most a few times a second, so a reader in
/// another process sees live progress; a redrive reads the children back to re-run only the unsuccessful ones.
/// </summary>
public interface IMapRunStore
{
    /// <summary>Inserts or replaces the Map Run (status and counts).</summary>
    void SaveMapRun(MapRunRecord run);

    /// <summary>Inserts or replaces these children of the Map Run (by index), in one transaction.</summary>
    void SaveChildren(string mapRunArn, IReadOnlyList<ChildExecutionRecord> children);

    MapRunRecord? FindMapRun(string mapRunArn);

    /// <summary>The Map Run's recorded children, by index.</summary>
    IReadOnlyList<ChildExecutionRecord> GetChildren(string mapRunArn);
}
