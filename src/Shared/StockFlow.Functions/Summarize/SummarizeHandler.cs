using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using StockFlow.Core.Lake;
using StockFlow.Functions.Hosting;
using StockFlow.Functions.Ingest;
using StockFlow.Functions.Lake;
using StockFlow.Functions.Plan;
using StockFlow.Storage;
using StockFlow.Providers;

namespace StockFlow.Functions.Summarize;

/// <summary>
/// The <c>summarize</c> function, after the ingest Map: reads the Map's ResultWriter output (every batch's
/// outcome, and the error and cause of every batch that failed or never started), writes every symbol's
/// outcome to <see cref="LakeKeys.IngestSummary"/> and the changed symbols to <see cref="LakeKeys.ChangedSymbols"/>,
/// moves the watermarks forward, and answers with counts and keys only. The per-symbol lists stay in the lake,
/// so no payload of the execution grows with the number of symbols.
/// </summary>
public sealed class SummarizeHandler(IObjectStore store, TimeProvider clock) : ILambdaHandler
{
    /// <summary>How many failures the answer names (the rest are in the summary object).</summary>
    public const int FailuresShown = 10;

    /// <summary>The function's name: its <c>_HANDLER</c> on AWS, its <c>FunctionName</c> locally.</summary>
    public const string FunctionName = "summarize";

    /// <inheritdoc/>
    public string Name => FunctionName;

    /// <inheritdoc/>
    public async Task<JsonNode?> HandleAsync(JsonNode? payload, CancellationToken cancellationToken)
    {
        var request = HandlerJson.Read<SummarizeRequest>(payload, Name);
        return HandlerJson.Write(await SummarizeAsync(request, cancellationToken));
    }

    /// <summary>Reads every batch's outcome, writes the summary and changed-symbol objects, moves the watermarks.</summary>
    /// <exception cref="MissingLakeObjectException">The ResultWriter's manifest, or a result file it lists, is not in the lake.</exception>
    /// <exception cref="CorruptLakeObjectException">A result file is not an ingest batch's result, or the watermarks are unreadable.</exception>
    public async Task<IngestSummary> SummarizeAsync(SummarizeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var executionName = ExecutionNames.Validate(request.ExecutionName);
        var manifestKey = await LatestManifestAsync(request.Bucket, request.ResultsPrefix, cancellationToken);
        var manifest = await ReadJsonAsync<ResultManifest>(request.Bucket, manifestKey, cancellationToken);
        var outcomes = new Dictionary<string, SymbolOutcome>(StringComparer.Ordinal);
        foreach (var (status, files) in manifest.ResultFiles ?? [])
        {
            foreach (var file in files)
            {
                foreach (var child in await ReadJsonAsync<List<ChildResult>>(manifest.DestinationBucket ?? request.Bucket, file.Key, cancellationToken))
                {
                    await AddAsync(outcomes, status, child, request.Bucket, executionName, cancellationToken);
                }
            }
        }

        var ordered = outcomes.Values.OrderBy(o => o.Symbol, StringComparer.Ordinal).ToList();
        var changed = ordered.Where(o => o.Status == SymbolOutcome.Ok && o.RowsWritten > 0).Select(o => o.Symbol).ToList();
        var summaryKey = LakeKeys.IngestSummary(executionName);
        var changedKey = LakeKeys.ChangedSymbols(executionName);
        await store.PutAsync(request.Bucket, summaryKey, JsonSerializer.SerializeToUtf8Bytes(ordered, HandlerJson.TypeInfo<List<SymbolOutcome>>()), cancellationToken);
        await store.PutAsync(request.Bucket, changedKey, JsonSerializer.SerializeToUtf8Bytes(changed, HandlerJson.TypeInfo<List<string>>()), cancellationToken);
        await AdvanceWatermarksAsync(request, ordered, cancellationToken);

        var ok = ordered.Where(o => o.Status == SymbolOutcome.Ok).ToList();
        var failed = ordered.Where(o => o.Status != SymbolOutcome.Ok).ToList();
        return new IngestSummary(
            Symbols: ordered.Count,
            Succeeded: ok.Count,
            Failed: failed.Count,
            ChangedSymbols: changed.Count,
            RowsFetched: ok.Sum(o => (long)o.RowsFetched),
            RowsAccepted: ok.Sum(o => (long)o.RowsAccepted),
            RowsRejected: ok.Sum(o => (long)o.RowsRejected),
            RowsWritten: ok.Sum(o => (long)o.RowsWritten),
            DroppedEmptyBars: ok.Sum(o => (long)o.DroppedEmptyBars),
            FirstDate: ok.Select(o => o.FirstDate).Min(),
            LastDate: ok.Select(o => o.LastDate).Max(),
            SummaryKey: summaryKey,
            ChangedSymbolsKey: changedKey,
            Failures: failed.Take(FailuresShown).Select(f => new SymbolFailure(f.Symbol, f.Error ?? "Unknown", f.Cause ?? string.Empty)).ToList());
    }

    /// <summary>
    /// The ResultWriter puts each map run's results under &lt;prefix&gt;/&lt;map run id&gt;/; the Map's output names the
    /// manifest only when the Map succeeded, so it is found by listing (the newest one, should there be several).
    /// </summary>
    private async Task<string> LatestManifestAsync(string bucket, string prefix, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(prefix) || prefix.Contains("..", StringComparison.Ordinal))
        {
            throw new InvalidPayloadException($"The summarize payload's resultsPrefix '{prefix}' is not a lake prefix.");
        }

        (string Key, DateTimeOffset Modified)? latest = null;
        await foreach (var item in store.ListAsync(bucket, prefix.TrimEnd('/') + "/", cancellationToken))
        {
            if (item.Key.EndsWith("/manifest.json", StringComparison.Ordinal) && (latest is null || item.LastModified >= latest.Value.Modified))
            {
                latest = (item.Key, item.LastModified);
            }
        }

        return latest?.Key ?? throw new MissingLakeObjectException($"No ResultWriter manifest under s3://{bucket}/{prefix}/: the ingest Map wrote no results.");
    }

    private async Task AddAsync(Dictionary<string, SymbolOutcome> outcomes, string status, ChildResult child, string bucket, string executionName, CancellationToken cancellationToken)
    {
        if (status == "SUCCEEDED")
        {
            var result = Parse<IngestBatchResult>(child.Output, "a succeeded batch's Output");
            foreach (var outcome in result.Outcomes)
            {
                outcomes[outcome.Symbol] = outcome;
            }

            return;
        }

        // A batch that failed or never started: what it finished before failing is in its progress object;
        // every other symbol of it failed with the batch's error.
        var batch = Parse<IngestBatch>(child.Input, $"a {status} batch's Input");
        var finished = await IngestBatchProgress.ReadAsync(store, bucket, LakeKeys.IngestBatch(executionName, IngestBatchProgress.Id(batch.Items)), cancellationToken);
        var (error, cause) = status == "PENDING"
            ? ("States.ItemNotStarted", "The ingest Map stopped before this symbol's batch started (the tolerated failure threshold was exceeded or the execution stopped).")
            : (child.Error ?? "States.TaskFailed", LambdaErrors.Message(child.Cause));
        foreach (var item in batch.Items)
        {
            outcomes[item.Symbol] = finished.TryGetValue(item.Symbol, out var done) ? done : SymbolOutcome.Failed(item.Symbol, error, cause);
        }
    }

    private async Task AdvanceWatermarksAsync(SummarizeRequest request, IReadOnlyList<SymbolOutcome> outcomes, CancellationToken cancellationToken)
    {
        if (request.Provider == PriceProviders.Csv)
        {
            return; // landing files are re-read whole; their symbols have no watermark
        }

        var book = await WatermarkBook.ReadAsync(store, request.Bucket, cancellationToken);
        var now = clock.GetUtcNow();
        var moved = false;
        foreach (var outcome in outcomes)
        {
            if (outcome is { Status: SymbolOutcome.Ok, LastDate: { } last })
            {
                moved |= book.Advance(outcome.Symbol, new Watermark(last, request.Provider, now));
            }
        }

        if (moved)
        {
            await book.WriteAsync(store, request.Bucket, cancellationToken);
        }
    }

    private async Task<T> ReadJsonAsync<T>(string bucket, string key, CancellationToken cancellationToken)
    {
        var bytes = await store.GetBytesAsync(bucket, key, cancellationToken)
            ?? throw new MissingLakeObjectException($"s3://{bucket}/{key} does not exist: the ingest Map's results are not where its ResultWriter said.");
        try
        {
            return JsonSerializer.Deserialize(bytes, HandlerJson.TypeInfo<T>()) ?? throw new JsonException("the document is null");
        }
        catch (JsonException ex)
        {
            throw new CorruptLakeObjectException($"s3://{bucket}/{key} is not the JSON the ingest Map's ResultWriter writes: {ex.Message}", ex);
        }
    }

    private static T Parse<T>(string? json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(json ?? "null", HandlerJson.TypeInfo<T>()) ?? throw new JsonException("it is null");
        }
        catch (JsonException ex)
        {
            throw new CorruptLakeObjectException($"The ingest Map's results hold {what} that is not an ingest batch: {ex.Message}", ex);
        }
    }
}

/// <summary>The summarize function's payload: the execution and where the ingest Map's ResultWriter wrote.</summary>
public sealed record SummarizeRequest(string ExecutionName, string Bucket, string Provider, string ResultsPrefix);

/// <summary>The ResultWriter's manifest.json.</summary>
public sealed record ResultManifest(string? DestinationBucket, string? MapRunArn, Dictionary<string, List<ResultFile>>? ResultFiles);

/// <summary>One result file the manifest lists.</summary>
/// <param name="Key">Its key in the manifest's bucket.</param>
/// <param name="Size">Its length in bytes.</param>
public sealed record ResultFile(string Key, long Size);

/// <summary>One child execution in a ResultWriter result file (Input and Output are JSON texts).</summary>
public sealed record ChildResult(string? Name, string? Status, string? Input, string? Output, string? Error, string? Cause);

/// <summary>A symbol that could not be ingested, with the error name and the message people need.</summary>
public sealed record SymbolFailure(string Symbol, string Error, string Cause);

/// <summary>The ingest in counts and keys: what the rest of the definition reads (every field present, null dates too, for its paths).</summary>
public sealed record IngestSummary(
    int Symbols,
    int Succeeded,
    int Failed,
    int ChangedSymbols,
    long RowsFetched,
    long RowsAccepted,
    long RowsRejected,
    long RowsWritten,
    long DroppedEmptyBars,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateOnly? FirstDate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateOnly? LastDate,
    string SummaryKey,
    string ChangedSymbolsKey,
    IReadOnlyList<SymbolFailure> Failures);
