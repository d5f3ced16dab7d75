namespace StockFlow.Functions.Plan;

/// <summary>What a user asks of an execution (the state machine's input). Every field is optional.</summary>
public sealed record PipelineRequest(
    IReadOnlyList<string>? Symbols = null,
    string? From = null,
    string? To = null,
    string? Provider = null);

/// <summary>The plan function's payload: the request plus the execution it plans for.</summary>
public sealed record PlanPayload(PipelineRequest? Request, string ExecutionName, string Bucket);

/// <summary>One symbol's ingest work: the range still missing (or the backfill range).</summary>
public sealed record IngestItem(
    string Symbol,
    string From,
    string To,
    string Provider,
    string Bucket,
    string ExecutionName,
    bool Backfill);

public sealed record AnalysisPeriod(string From, string To);

public sealed record PlanResult(
    IReadOnlyList<IngestItem> Items,
    AnalysisPeriod Period,
    string Provider,
    string DataLabel,
    IReadOnlyList<string> Queries);

/// <summary>The named analysis queries, one SQL file each under sql/queries/ (a test keeps them in step).</summary>
public static class AnalysisQueries
{
    public static IReadOnlyList<string> Names { get; } = ["average_return", "volatility_ranking", "market_trend", "price_history"];
}
