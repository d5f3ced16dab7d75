using System.Text.Json.Serialization;

namespace StockFlow.Functions.Plan;

/// <summary>What a user asks of an execution (the state machine's input). Every field is optional.</summary>
/// <param name="Symbols">The symbols to ingest; null for the provider's defaults (the sample's 20, the watchlist, or every landing file).</param>
/// <param name="From">First trade date: a backfill of the range from it. Null for an incremental run (each symbol from its watermark).</param>
/// <param name="To">Last trade date. Null for the last completed weekday.</param>
/// <param name="Provider"><c>sample</c>, <c>yahoo</c>, <c>stooq</c> or <c>csv</c>; null for the plan's default (<c>sample</c>, or <c>csv</c> with landing keys).</param>
/// <param name="SymbolsKey">
/// A lake key of a symbol list (one symbol per line, or separated by commas): how a whole market is asked for
/// without putting thousands of symbols into the execution's input.
/// </param>
/// <param name="LandingKeys">
/// The landing files to import (<c>landing/&lt;SYMBOL&gt;.csv</c>, as an upload event names them): the csv provider
/// then imports only these, not every file under <c>landing/</c>. What the landing-upload trigger sends, on AWS
/// (the EventBridge rule's input transformer) and in <c>stockflow serve</c> (the landing watcher).
/// </param>
public sealed record PipelineRequest(
    IReadOnlyList<string>? Symbols = null,
    DateOnly? From = null,
    DateOnly? To = null,
    string? Provider = null,
    string? SymbolsKey = null,
    IReadOnlyList<string>? LandingKeys = null);

/// <summary>The plan function's payload: the request plus the execution it plans for.</summary>
public sealed record PlanPayload(PipelineRequest? Request, string ExecutionName, string Bucket);

/// <summary>One line of the work list: a symbol and the range still missing (or the backfill range).</summary>
public sealed record IngestItem(string Symbol, DateOnly From, DateOnly To);

/// <summary>What every item of an ingest batch shares: the ingest Map's ItemBatcher <c>BatchInput</c>.</summary>
/// <param name="Provider">The provider's normalized name.</param>
/// <param name="Bucket">The lake bucket.</param>
/// <param name="ExecutionName">The execution (it names the rejected-rows and batch-progress keys).</param>
/// <param name="Backfill">True when the request gave <c>from</c>: stored rows inside the range the import no longer has are removed.</param>
/// <param name="RequestsPerSecond">
/// This batch's share of the provider's request budget (the configured rate divided by the Map's
/// MaxConcurrency), so the whole fan-out stays within the budget however many function instances run it;
/// null for providers that make no network requests.
/// </param>
public sealed record IngestBatchInput(
    string Provider,
    string Bucket,
    string ExecutionName,
    bool Backfill,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? RequestsPerSecond = null);

/// <summary>One call of the ingest function: a batch of items, as the Distributed Map's ItemBatcher builds it.</summary>
public sealed record IngestBatch(IngestBatchInput BatchInput, IReadOnlyList<IngestItem> Items);

/// <summary>How the ingest Map fans out: read by the definition's *Path fields.</summary>
public sealed record IngestFanOut(int MaxConcurrency, int BatchSize, double ToleratedFailurePercentage);

/// <summary>The dates an execution analyses (and its report shows), first and last included.</summary>
public sealed record AnalysisPeriod(DateOnly From, DateOnly To);

/// <summary>The plan's answer: counts and keys only, whatever the number of symbols.</summary>
public sealed record PlanResult(
    string ItemsKey,
    string ResultsPrefix,
    int Symbols,
    AnalysisPeriod Period,
    string Provider,
    string DataLabel,
    IReadOnlyList<string> Queries,
    IngestFanOut Ingest,
    IngestBatchInput BatchInput);
