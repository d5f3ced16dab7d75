using StockFlow.Core.Lake;

namespace StockFlow.Functions.Lake;

/// <summary>
/// What the transform job did, written by the job to <see cref="Key"/> where the report reads it: the Glue job on AWS
/// (infra/glue/job_logic.py <c>statistics</c>, the same fields) and the local job binding. Counts, not rows.
/// </summary>
/// <param name="ExecutionName">The execution the job ran for.</param>
/// <param name="Mode">How the job ran: "full", "changed-symbols" (Glue) or "incremental" (local).</param>
/// <param name="Symbols">The symbols the job recomputed (all of them for a full run).</param>
/// <param name="RowsRead">Raw rows read.</param>
/// <param name="RowsWritten">Curated rows written.</param>
/// <param name="RowsExcluded">Raw rows left out (the sum of <paramref name="ExcludedByReason"/>).</param>
/// <param name="ExcludedByReason">Rows the cleaning rules left out, by reason (duplicates included).</param>
public sealed record TransformJobStatistics(
    string ExecutionName,
    string Mode,
    IReadOnlyList<string> Symbols,
    long RowsRead,
    long RowsWritten,
    long RowsExcluded,
    IReadOnlyDictionary<string, long> ExcludedByReason)
{
    /// <summary>Beside the run's other keys (<c>runs/&lt;execution&gt;/transform/statistics.json</c>).</summary>
    public static string Key(string executionName) => $"{LakeKeys.Run(executionName)}transform/statistics.json";
}
