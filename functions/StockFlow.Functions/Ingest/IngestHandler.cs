using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StockFlow.Core.Csv;
using StockFlow.Core.Prices;
using StockFlow.Core.Symbols;
using StockFlow.Functions.Hosting;
using StockFlow.Functions.Lake;
using StockFlow.Functions.Plan;
using StockFlow.Providers;
using StockFlow.Storage;

namespace StockFlow.Functions.Ingest;

/// <summary>
/// The <c>ingest</c> function, one batch of symbols per call (the Distributed Map's ItemBatcher): for each
/// symbol, fetch the range, validate every row, merge the good ones into the symbol's yearly raw files (last
/// ingested wins) and quarantine the rejected ones with their reasons. Every write replaces a whole key, so
/// re-running a batch rewrites the same objects and never duplicates rows.
/// A symbol's failure (unknown symbol, bad answer, an unreachable host after the HTTP client's retries, a damaged
/// raw file) is recorded in the batch's result and the batch goes on. The batch itself fails, so that the Map's
/// tolerated-failure threshold counts it, when the provider says to stop (throttled beyond the client's retries)
/// or when every one of its symbols failed (a broken provider); before failing it saves its outcomes under the
/// batch's key, so a retried or redriven batch fetches only the symbols that are not done yet.
/// </summary>
public sealed class IngestHandler(IObjectStore store, PriceProviderFactory providers, TimeProvider clock) : ILambdaHandler
{
    public string Name => "ingest";

    public async Task<JsonNode?> HandleAsync(JsonNode? payload, CancellationToken cancellationToken)
    {
        var batch = HandlerJson.Read<IngestBatch>(payload, Name);
        return HandlerJson.Write(await IngestBatchAsync(batch, cancellationToken));
    }

    public async Task<IngestBatchResult> IngestBatchAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var shared = batch.BatchInput ?? throw new InvalidPayloadException("The ingest batch has no BatchInput.");
        var executionName = ExecutionNames.Validate(shared.ExecutionName);
        if (string.IsNullOrWhiteSpace(shared.Bucket))
        {
            throw new InvalidPayloadException("The ingest batch's BatchInput has no bucket.");
        }

        if (!PriceProviders.Names.Contains(shared.Provider, StringComparer.Ordinal))
        {
            throw new InvalidPayloadException($"Unknown provider '{shared.Provider}'. Use one of: {string.Join(", ", PriceProviders.Names)}.");
        }

        if (shared.RequestsPerSecond is { } rate && !(rate > 0 && double.IsFinite(rate)))
        {
            throw new InvalidPayloadException($"The ingest batch's requestsPerSecond must be a positive number, got {rate}.");
        }

        var items = batch.Items ?? throw new InvalidPayloadException("The ingest batch has no Items.");
        var batchId = IngestBatchProgress.Id(items);
        var progressKey = LakeKeys.IngestBatch(executionName, batchId);
        var finished = await IngestBatchProgress.ReadAsync(store, shared.Bucket, progressKey, cancellationToken);
        var outcomes = new List<SymbolOutcome>(items.Count);
        using var provider = providers(shared.Provider, shared.RequestsPerSecond);
        foreach (var item in items)
        {
            if (item is null)
            {
                throw new InvalidPayloadException("The ingest batch has a null item.");
            }

            if (finished.TryGetValue(item.Symbol ?? string.Empty, out var done) && done.Status == SymbolOutcome.Ok)
            {
                outcomes.Add(done);
                continue;
            }

            try
            {
                outcomes.Add(await IngestAsync(provider.Provider, shared, executionName, item, cancellationToken));
            }
            catch (ProviderThrottledException)
            {
                // The provider asks us to stop: stop asking it. Keep what is done for the next attempt.
                await IngestBatchProgress.WriteAsync(store, shared.Bucket, progressKey, outcomes, cancellationToken);
                throw;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                outcomes.Add(SymbolOutcome.Failed(item.Symbol ?? string.Empty, ex.GetType().Name, ex.Message));
            }
        }

        if (outcomes.Count > 0 && outcomes.All(o => o.Status != SymbolOutcome.Ok))
        {
            await IngestBatchProgress.WriteAsync(store, shared.Bucket, progressKey, outcomes, cancellationToken);
            var first = outcomes[0];
            throw new IngestBatchFailedException(
                $"All {outcomes.Count} symbol(s) of this batch failed, so the provider itself may be failing; the first, {first.Symbol}: {first.Error}: {first.Cause}");
        }

        return IngestBatchResult.Of(batchId, outcomes);
    }

    private async Task<SymbolOutcome> IngestAsync(IPriceProvider provider, IngestBatchInput shared, string executionName, IngestItem item, CancellationToken cancellationToken)
    {
        var symbol = SymbolValidator.Validate(item.Symbol);
        var from = ParseDate(item.From, "from");
        var to = ParseDate(item.To, "to");
        if (from > to)
        {
            return new SymbolOutcome(symbol, SymbolOutcome.Ok) { UpToDate = true };
        }

        var fetched = await provider.FetchAsync(new PriceRequest(symbol, from, to), cancellationToken);
        var validated = PriceRowValidator.At(clock).CheckAll(fetched.Rows);
        var bars = PriceSeries.Deduplicate(validated.Bars);

        var rowsWritten = 0;
        foreach (var year in bars.GroupBy(b => b.Date.Year).OrderBy(g => g.Key))
        {
            rowsWritten += await MergeYearAsync(shared.Bucket, symbol, year.Key, year.ToList(), cancellationToken);
        }

        var rejectedKey = LakeKeys.Rejected(symbol, executionName);
        if (validated.Rejections.Count > 0)
        {
            await store.PutTextAsync(shared.Bucket, rejectedKey, RejectedRowsCsvWriter.WriteString(validated.Rejections), cancellationToken);
        }
        else
        {
            // A rerun that no longer rejects anything must not leave the earlier quarantine behind.
            await store.DeleteAsync(shared.Bucket, rejectedKey, cancellationToken);
        }

        return new SymbolOutcome(symbol, SymbolOutcome.Ok)
        {
            RowsFetched = fetched.Rows.Count,
            RowsAccepted = bars.Count,
            RowsWritten = rowsWritten,
            RowsRejected = validated.Rejections.Count,
            DroppedEmptyBars = fetched.DroppedEmptyBars,
            FirstDate = bars.Count > 0 ? Format(bars[0].Date) : null,
            LastDate = bars.Count > 0 ? Format(bars[^1].Date) : null,
            RejectedKey = validated.Rejections.Count > 0 ? rejectedKey : null,
        };
    }

    /// <summary>Merges one year's bars into its raw file; returns how many rows were new or changed.</summary>
    private async Task<int> MergeYearAsync(string bucket, string symbol, int year, IReadOnlyList<DailyBar> incoming, CancellationToken cancellationToken)
    {
        var key = LakeKeys.RawPrices(symbol, year);
        var stored = await store.GetBytesAsync(bucket, key, cancellationToken);
        if (stored is not null && PriceCsvWriter.WriteUtf8(incoming).Span.SequenceEqual(stored))
        {
            // The file is exactly what these bars write, so it holds these bars and nothing else (the
            // writer round-trips exactly): nothing is new or changed, and no need to parse it.
            return 0;
        }

        var existing = stored is null ? [] : ReadRaw(stored, key);
        var before = existing.ToDictionary(b => b.Date);
        var changed = incoming.Count(bar => !before.TryGetValue(bar.Date, out var old) || old != bar);
        if (changed == 0)
        {
            return 0;
        }

        var merged = PriceSeries.Merge(existing, incoming);
        await store.PutAsync(bucket, key, PriceCsvWriter.WriteUtf8(merged), cancellationToken);
        return changed;
    }

    private IReadOnlyList<DailyBar> ReadRaw(byte[] stored, string key)
    {
        using var reader = new StreamReader(new MemoryStream(stored, writable: false), Encoding.UTF8);
        var rows = PriceCsvReader.Read(reader, key);
        // Rows stored earlier passed the rules of their day; the date limit only moves forward.
        var validated = PriceRowValidator.At(clock).CheckAll(rows);
        if (validated.Rejections.Count > 0)
        {
            // Rewriting would drop these rows silently: stop and say so instead.
            var first = validated.Rejections[0];
            throw new InvalidDataException(
                $"The raw file {key} has {validated.Rejections.Count} invalid row(s) (first: {first.Row.Source}: {first.Reason}); fix or remove it before ingesting more.");
        }

        return validated.Bars;
    }

    private static DateOnly ParseDate(string value, string field) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new InvalidPayloadException($"The ingest item's '{field}' must be a date like 2024-01-31, got '{value}'.");

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Creates the provider one ingest call uses, with that call's share of the request budget (null: unpaced).</summary>
public delegate ProviderLease PriceProviderFactory(string provider, double? requestsPerSecond);
