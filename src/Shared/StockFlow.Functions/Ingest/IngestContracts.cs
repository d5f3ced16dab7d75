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
    /// <summary><see cref="Status"/> of a symbol that was ingested (or was already up to date).</summary>
    public const string Ok = "ok";

    /// <summary><see cref="Status"/> of a symbol that failed; <see cref="Error"/> and <see cref="Cause"/> say why.</summary>
    public const string FailedStatus = "failed";

    /// <summary>Rows the provider returned for the range.</summary>
    public int RowsFetched { get; init; }

    /// <summary>Rows that passed the cleaning rules.</summary>
    public int RowsAccepted { get; init; }

    /// <summary>Rows new or changed in the raw files: the symbol needs the transform when this is not zero.</summary>
    public int RowsWritten { get; init; }

    /// <summary>Rows that broke a cleaning rule, quarantined under <see cref="RejectedKey"/>.</summary>
    public int RowsRejected { get; init; }

    /// <summary>Bars the source sent with every value null: dropped (never written as zeros) but counted, so nothing vanishes unseen.</summary>
    public int DroppedEmptyBars { get; init; }

    /// <summary>Stored rows inside the import's range that the import no longer has (a correction), removed from the raw files.</summary>
    public int RowsRemoved { get; init; }

    /// <summary>Raw files found damaged (not what was written) and what was done: re-fetched, or moved to the quarantine.</summary>
    public IReadOnlyList<string>? RepairedFiles { get; init; }

    /// <summary>The first accepted trade date; null when no row was accepted.</summary>
    public DateOnly? FirstDate { get; init; }

    /// <summary>The last accepted trade date (the symbol's new watermark); null when no row was accepted.</summary>
    public DateOnly? LastDate { get; init; }

    /// <summary>The lake key of the rejected rows (<c>raw/rejected/symbol=&lt;SYM&gt;/&lt;execution&gt;.csv</c>); null when none were rejected.</summary>
    public string? RejectedKey { get; init; }

    /// <summary>True when the symbol had nothing missing (its stored data already reaches the end of the range): nothing was fetched.</summary>
    public bool UpToDate { get; init; }

    /// <summary>The error's name (an exception type name) when the symbol failed; null otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>The error's message when the symbol failed; null otherwise.</summary>
    public string? Cause { get; init; }

    /// <summary>The outcome of a symbol that failed with <paramref name="error"/> (its name) and <paramref name="cause"/> (its message).</summary>
    public static SymbolOutcome Failed(string symbol, string error, string cause) =>
        new(symbol, FailedStatus) { Error = error, Cause = cause };
}

/// <summary>What one ingest call returns (the Map's ResultWriter keeps it): totals and each symbol's outcome.</summary>
public sealed record IngestBatchResult(string BatchId, int Symbols, int Succeeded, int Failed, long RowsAccepted, long RowsRejected, long RowsWritten, IReadOnlyList<SymbolOutcome> Outcomes)
{
    /// <summary>The batch's result with totals counted from <paramref name="outcomes"/>.</summary>
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
    /// <summary>Without a message.</summary>
    public InvalidRawFileException() { }

    /// <summary>With the sentence that names the file and its invalid row.</summary>
    public InvalidRawFileException(string message) : base(message) { }

    /// <summary>With the sentence that names the file and its invalid row and the failure behind it.</summary>
    public InvalidRawFileException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>Every symbol of an ingest batch failed: the provider itself is probably failing. Not retried; the Map counts it.</summary>
public sealed class IngestBatchFailedException : Exception
{
    /// <summary>Without a message.</summary>
    public IngestBatchFailedException() { }

    /// <summary>With the sentence that names the batch's first failure.</summary>
    public IngestBatchFailedException(string message) : base(message) { }

    /// <summary>With the sentence that names the batch's first failure and the failure behind it.</summary>
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

    /// <summary>The outcomes a previous attempt of the batch saved under <paramref name="key"/>, by symbol; empty when there
    /// are none or the object is damaged (the symbols are then fetched again).</summary>
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

    /// <summary>Saves the outcomes of the symbols the batch finished, before the batch fails.</summary>
    public static Task WriteAsync(IObjectStore store, string bucket, string key, IReadOnlyList<SymbolOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.PutAsync(bucket, key, JsonSerializer.SerializeToUtf8Bytes(outcomes, HandlerJson.TypeInfo<IReadOnlyList<SymbolOutcome>>()), cancellationToken);
    }
}
