using System.Text.Json.Nodes;

namespace StockFlow.Asl.Distributed;

/// <summary>
/// Counts of a Map Run's items or child executions, as DescribeMapRun's <c>itemCounts</c> and
/// <c>executionCounts</c> report them (with ItemBatcher one child execution carries many items).
/// </summary>
/// <param name="Pending">Not started yet.</param>
/// <param name="Running">Started, not finished.</param>
/// <param name="Succeeded">Finished successfully.</param>
/// <param name="Failed">Finished with an error.</param>
/// <param name="TimedOut">Ran longer than the processor machine's TimeoutSeconds.</param>
/// <param name="Aborted">Stopped before finishing (the run failed or was cancelled).</param>
/// <param name="Total">All items or child executions of the run.</param>
/// <param name="ResultsWritten">Results the ResultWriter has written.</param>
/// <param name="FailuresNotRedrivable">Unsuccessful ones a redrive cannot re-run (always 0 here).</param>
/// <param name="PendingRedrive">Unsuccessful ones of an earlier attempt, waiting to be re-run by a redrive.</param>
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
    /// <summary>All counts 0: a run whose items are not known yet.</summary>
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

    /// <summary>Reads the shape <see cref="ToJson"/> writes; a missing or non-integer field counts 0, and null gives <see cref="Empty"/>.</summary>
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
    /// <summary>The run's ARN, <c>arn:aws:states:{region}:{account}:mapRun:{machine}/{label}:{run id}</c>; a redrive keeps it.</summary>
    public required string MapRunArn { get; init; }

    /// <summary>The parent execution whose Distributed Map state started the run.</summary>
    public required string ExecutionArn { get; init; }

    /// <summary>The Distributed Map state (its Label when it has one) that started the run.</summary>
    public required string StateName { get; init; }

    /// <summary>RUNNING, SUCCEEDED, FAILED or ABORTED.</summary>
    public required string Status { get; init; }

    /// <summary>When the run first started (a redrive keeps it; see <see cref="RedriveDate"/>).</summary>
    public required DateTimeOffset StartDate { get; init; }

    /// <summary>When the run ended; null while it is <see cref="Running"/>.</summary>
    public DateTimeOffset? StopDate { get; init; }

    /// <summary>The MaxConcurrency the definition asked for (0 = as many as possible).</summary>
    public int MaxConcurrency { get; init; }

    /// <summary>The tolerated share of failed items (0-100) as resolved when the run started; 0 when the state gave none.</summary>
    public double ToleratedFailurePercentage { get; init; }

    /// <summary>The tolerated number of failed items as resolved when the run started; 0 when the state gave none.</summary>
    public long ToleratedFailureCount { get; init; }

    /// <summary>Counts of items (with ItemBatcher a child execution carries several).</summary>
    public required MapRunCounts ItemCounts { get; init; }

    /// <summary>Counts of child executions.</summary>
    public required MapRunCounts ExecutionCounts { get; init; }

    /// <summary>How often the run has been redriven (0 for its first attempt).</summary>
    public int RedriveCount { get; init; }

    /// <summary>When the last redrive started; null when never redriven.</summary>
    public DateTimeOffset? RedriveDate { get; init; }

    /// <summary>Why the run failed (e.g. States.ExceedToleratedFailureThreshold); null otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>The cause that goes with <see cref="Error"/>; null otherwise.</summary>
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

    /// <summary>The <see cref="Status"/> of a run that has not ended.</summary>
    public const string Running = "RUNNING";
    /// <summary>The status of a run, or a child execution, that ended successfully.</summary>
    public const string Succeeded = "SUCCEEDED";
    /// <summary>The status of a run, or a child execution, that ended with an error.</summary>
    public const string Failed = "FAILED";
    /// <summary>The status of a run, or a child execution, stopped before it ended.</summary>
    public const string Aborted = "ABORTED";
}

/// <summary>One child execution of a Map Run: an item, or a batch of items with ItemBatcher.</summary>
public sealed record ChildExecutionRecord
{
    /// <summary>The position of the item (or batch) in the Map Run, from 0.</summary>
    public required int Index { get; init; }

    /// <summary>The child execution's name, <c>{run id}:{index}</c>, the last part of its ARN.</summary>
    public required string Name { get; init; }

    /// <summary>SUCCEEDED, FAILED, TIMED_OUT or ABORTED.</summary>
    public required string Status { get; init; }

    /// <summary>The child's input (the item, or the batch object with ItemBatcher) as JSON text.</summary>
    public required string Input { get; init; }

    /// <summary>The child's output as JSON text; null unless it succeeded.</summary>
    public string? Output { get; init; }

    /// <summary>The error name when the child failed or timed out; null otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>The cause that goes with <see cref="Error"/>; null otherwise.</summary>
    public string? Cause { get; init; }

    /// <summary>When the child started.</summary>
    public required DateTimeOffset StartDate { get; init; }

    /// <summary>When the child ended; null while it runs.</summary>
    public DateTimeOffset? StopDate { get; init; }

    /// <summary>How many items the child processed (1 without ItemBatcher).</summary>
    public int ItemCount { get; init; } = 1;

    /// <summary>
    /// The child's own history (GetExecutionHistory's <c>events</c> array as JSON); kept for unsuccessful
    /// children only, so 10,000 successful children cost one row each and no events.
    /// </summary>
    public string? HistoryJson { get; init; }

    /// <summary>The child ended with <see cref="MapRunRecord.Succeeded"/> (a redrive keeps its output and does not run it again).</summary>
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

    /// <summary>The Map Run with this ARN, or null when the store has none.</summary>
    MapRunRecord? FindMapRun(string mapRunArn);

    /// <summary>The Map Run's recorded children, by index.</summary>
    IReadOnlyList<ChildExecutionRecord> GetChildren(string mapRunArn);
}
