using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using StockFlow.Functions.Hosting;
using StockFlow.Functions.Plan;
using StockFlow.Storage;

namespace StockFlow.Functions.Ingest;

/// <summary>One symbol's ingest outcome: counts and dates when it worked, the error's name and message when not.</summary>
public sealed record SymbolOutcome(string Symbol, string Status)
{
    public const string Ok = "ok";
    public const string FailedStatus = "failed";

    public int RowsFetched { get; init; }

    public int RowsAccepted { get; init; }

    /// <summary>Rows new or changed in the raw files: the symbol needs the transform when this is not zero.</summary>
    public int RowsWritten { get; init; }

    public int RowsRejected { get; init; }

    /// <summary>Bars the source sent with every value null: dropped (never written as zeros) but counted, so nothing vanishes unseen.</summary>
    public int DroppedEmptyBars { get; init; }

    /// <summary>Stored rows inside the import's range that the import no longer has (a correction), removed from the raw files.</summary>
    public int RowsRemoved { get; init; }

    /// <summary>Raw files found damaged (not what was written) and what was done: re-fetched, or moved to the quarantine.</summary>
    public IReadOnlyList<string>? RepairedFiles { get; init; }

    public DateOnly? FirstDate { get; init; }

    public DateOnly? LastDate { get; init; }

    public string? RejectedKey { get; init; }

    public bool UpToDate { get; init; }

    public string? Error { get; init; }

    public string? Cause { get; init; }

    public static SymbolOutcome Failed(string symbol, string error, string cause) =>
        new(symbol, FailedStatus) { Error = error, Cause = cause };
}

/// <summary>What one ingest call returns (the Map's ResultWriter keeps it): totals and each symbol's outcome.</summary>
public sealed record IngestBatchResult(string BatchId, int Symbols, int Succeeded, int Failed, long RowsAccepted, long RowsRejected, long RowsWritten, IReadOnlyList<SymbolOutcome> Outcomes)
{
    public static IngestBatchResult Of(string batchId, IReadOnlyList<SymbolOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var failed = outcomes.Count(o => o.Status != SymbolOutcome.Ok);
        return new IngestBatchResult(batchId, outcomes.Count, outcomes.Count - failed, failed,
            outcomes.Sum(o => (long)o.RowsAccepted), outcomes.Sum(o => (long)o.RowsRejected), outcomes.Sum(o => (long)o.RowsWritten), outcomes);
    }
}

/// <summary>
/// A stored raw file holds rows that break the cleaning rules outside the range being re-imported, so rewriting it
/// would drop them silently. Recorded as the symbol's error; not retried.
/// </summary>
public sealed class InvalidRawFileException : Exception
{
    public InvalidRawFileException() { }

    public InvalidRawFileException(string message) : base(message) { }

    public InvalidRawFileException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>Every symbol of an ingest batch failed: the provider itself is probably failing. Not retried; the Map counts it.</summary>
public sealed class IngestBatchFailedException : Exception
{
    public IngestBatchFailedException() { }

    public IngestBatchFailedException(string message) : base(message) { }

    public IngestBatchFailedException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// The symbols a batch finished before its provider failed, under a key derived from the batch's items, so
/// the same batch run again (the Map's Retry, or a redrive of the failed map run) skips them.
/// </summary>
public static class IngestBatchProgress
{
    /// <summary>A stable name for a batch: a hash of its items in order.</summary>
    public static string Id(IReadOnlyList<IngestItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var hash = new XxHash128();
        foreach (var item in items)
        {
            hash.Append(Encoding.UTF8.GetBytes($"{item?.Symbol}|{item?.From}|{item?.To}\n"));
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    public static async Task<IReadOnlyDictionary<string, SymbolOutcome>> ReadAsync(IObjectStore store, string bucket, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var bytes = await store.GetBytesAsync(bucket, key, cancellationToken);
        if (bytes is null)
        {
            return new Dictionary<string, SymbolOutcome>(StringComparer.Ordinal);
        }

        try
        {
            var outcomes = JsonSerializer.Deserialize(bytes, HandlerJson.TypeInfo<List<SymbolOutcome>>()) ?? [];
            return outcomes.DistinctBy(o => o.Symbol, StringComparer.Ordinal).ToDictionary(o => o.Symbol, StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            // Only an optimisation: a damaged progress object means the batch's symbols are fetched again.
            return new Dictionary<string, SymbolOutcome>(StringComparer.Ordinal);
        }
    }

    public static Task WriteAsync(IObjectStore store, string bucket, string key, IReadOnlyList<SymbolOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.PutAsync(bucket, key, JsonSerializer.SerializeToUtf8Bytes(outcomes, HandlerJson.TypeInfo<IReadOnlyList<SymbolOutcome>>()), cancellationToken);
    }
}
