using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StockFlow.Core.Csv;
using StockFlow.Core.Lake;
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
    /// <summary>The function's name: its <c>_HANDLER</c> on AWS, its <c>FunctionName</c> locally.</summary>
    public const string FunctionName = "ingest";

    /// <inheritdoc/>
    public string Name => FunctionName;

    /// <inheritdoc/>
    /// <exception cref="ProviderThrottledException">The provider throttled beyond the HTTP client's retries; the batch's finished symbols are saved.</exception>
    /// <exception cref="IngestBatchFailedException">Every symbol of the batch failed.</exception>
    public async Task<JsonNode?> HandleAsync(JsonNode? payload, CancellationToken cancellationToken)
    {
        var batch = HandlerJson.Read<IngestBatch>(payload, Name);
        return HandlerJson.Write(await IngestBatchAsync(batch, cancellationToken));
    }

    /// <summary>Ingests one batch: each symbol's outcome, with the symbols a previous attempt finished skipped.</summary>
    /// <exception cref="InvalidPayloadException">The batch names an unknown provider, a bad bucket or a bad execution name.</exception>
    /// <exception cref="ProviderThrottledException">The provider throttled beyond the HTTP client's retries; the batch's finished symbols are saved.</exception>
    /// <exception cref="IngestBatchFailedException">Every symbol of the batch failed.</exception>
    public async Task<IngestBatchResult> IngestBatchAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var shared = batch.BatchInput ?? throw new InvalidPayloadException("The ingest batch has no BatchInput.");
        var executionName = ExecutionNames.Validate(shared.ExecutionName);
        if (string.IsNullOrWhiteSpace(shared.Bucket))
        {
            throw new InvalidPayloadException("The ingest batch's BatchInput has no bucket.");
        }

        if (!PriceProviders.IsKnown(shared.Provider))
        {
            throw new InvalidPayloadException($"Unknown provider '{shared.Provider}'. Use {PriceProviders.Listed}.");
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
        var (from, to) = (item.From, item.To);
        var validator = PriceRowValidator.At(clock);

        // Raw files are verified before they are trusted: a damaged one (not what was written) is re-fetched first.
        var raw = await RawFiles.LoadAsync(store, shared.Bucket, symbol, cancellationToken);
        var repaired = new List<string>();
        foreach (var year in raw.DamagedYears())
        {
            repaired.Add(await RepairYearAsync(shared.Bucket, symbol, year, provider, validator, raw, executionName, cancellationToken));
        }

        if (from > to)
        {
            await raw.SaveAsync(store, shared.Bucket, cancellationToken);
            return new SymbolOutcome(symbol, SymbolOutcome.Ok) { UpToDate = true, RepairedFiles = repaired };
        }

        var fetched = await provider.FetchAsync(new PriceRequest(symbol, from, to), cancellationToken);
        // Rows after the range up to the last completed weekday were not asked for; later ones are "date out of range".
        var imported = fetched.Rows.Where(r => !(PriceFieldParser.TryParseDate(r.Date, out var date) && date > to && date <= validator.LastTradeDate)).ToList();
        var validated = validator.CheckImport(imported);
        var bars = validated.Bars;

        // A correction: the import replaces [from, to] for the symbol, so a stored row the new data no longer has is
        // removed. Not when the source sent no row at all: an empty answer is an outage or a gap, not a correction.
        var replace = imported.Count > 0 ? (from, to) : ((DateOnly From, DateOnly To)?)null;
        var years = bars.Select(b => b.Date.Year)
            .Concat(replace is null ? [] : raw.Years.Where(y => y >= from.Year && y <= to.Year))
            .Distinct()
            .Order();
        var rowsWritten = 0;
        var rowsRemoved = 0;
        foreach (var year in years)
        {
            var (written, removed) = await MergeYearAsync(
                shared.Bucket, symbol, year, bars.Where(b => b.Date.Year == year).ToList(), replace, raw, provider, validator, executionName, repaired, cancellationToken);
            rowsWritten += written;
            rowsRemoved += removed;
        }

        await raw.SaveAsync(store, shared.Bucket, cancellationToken);

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

        // Every fetched row is accepted (one per date) or rejected with its reason: RowsFetched = RowsAccepted + RowsRejected.
        return new SymbolOutcome(symbol, SymbolOutcome.Ok)
        {
            RowsFetched = imported.Count,
            RowsAccepted = bars.Count,
            RowsWritten = rowsWritten,
            RowsRejected = validated.Rejections.Count,
            DroppedEmptyBars = fetched.DroppedEmptyBars,
            FirstDate = bars.Count > 0 ? bars[0].Date : null,
            LastDate = bars.Count > 0 ? bars[^1].Date : null,
            RejectedKey = validated.Rejections.Count > 0 ? rejectedKey : null,
            RowsRemoved = rowsRemoved,
            RepairedFiles = repaired,
        };
    }

    /// <summary>
    /// Merges one year's bars into its raw file: new and changed rows are written, and within <paramref name="replace"/>
    /// stored rows the import does not have are removed. Returns how many rows were new or changed, and how many removed.
    /// </summary>
    private async Task<(int Written, int Removed)> MergeYearAsync(
        string bucket,
        string symbol,
        int year,
        IReadOnlyList<DailyBar> incoming,
        (DateOnly From, DateOnly To)? replace,
        RawFiles raw,
        IPriceProvider provider,
        PriceRowValidator validator,
        string executionName,
        List<string> repaired,
        CancellationToken cancellationToken)
    {
        var key = LakeKeys.RawPrices(symbol, year);
        var stored = raw.Years.Contains(year) ? await store.GetBytesAsync(bucket, key, cancellationToken) : null;
        if (stored is not null && !raw.IsIntact(year, stored))
        {
            // Same length but other bytes than were written: re-fetch the year before merging into it.
            repaired.Add(await RepairYearAsync(bucket, symbol, year, provider, validator, raw, executionName, cancellationToken));
            stored = raw.Years.Contains(year) ? await store.GetBytesAsync(bucket, key, cancellationToken) : null;
        }

        var incomingBytes = PriceCsvWriter.WriteUtf8(incoming);
        if (stored is not null && incomingBytes.Span.SequenceEqual(stored))
        {
            // The file is exactly what these bars write, so it holds these bars and nothing else (the
            // writer round-trips exactly): nothing is new, changed or removed, and no need to parse it.
            return (0, 0);
        }

        var existing = stored is null ? [] : ReadRaw(stored, key, validator, replace);
        var incomingDates = incoming.Select(b => b.Date).ToHashSet();
        var kept = replace is { } range
            ? existing.Where(b => b.Date < range.From || b.Date > range.To || incomingDates.Contains(b.Date)).ToList()
            : existing.ToList();
        var removed = existing.Count - kept.Count + (stored is null ? 0 : CountInvalid(stored, key, validator));
        var before = existing.ToDictionary(b => b.Date);
        var changed = incoming.Count(bar => !before.TryGetValue(bar.Date, out var old) || old != bar);
        if (changed == 0 && removed == 0)
        {
            return (0, 0);
        }

        var merged = PriceSeries.Merge(kept, incoming);
        await WriteYearAsync(bucket, symbol, year, merged, raw, cancellationToken);
        return (changed, removed);
    }

    /// <summary>Writes (or, with no bars left, deletes) one year's raw file and records its digest.</summary>
    private async Task WriteYearAsync(string bucket, string symbol, int year, IReadOnlyList<DailyBar> bars, RawFiles raw, CancellationToken cancellationToken)
    {
        var key = LakeKeys.RawPrices(symbol, year);
        if (bars.Count == 0)
        {
            await store.DeleteAsync(bucket, key, cancellationToken);
            raw.Record(year, null);
            return;
        }

        var bytes = PriceCsvWriter.WriteUtf8(bars);
        await store.PutAsync(bucket, key, bytes, cancellationToken);
        raw.Record(year, RawFileDigest.Of(bytes.Span));
    }

    /// <summary>
    /// Replaces a damaged raw file with the whole year fetched again. When the provider has nothing for that year, the
    /// damaged file is moved to the quarantine (raw/damaged/...) so that nobody reads half of it. Returns what was done.
    /// </summary>
    private async Task<string> RepairYearAsync(
        string bucket, string symbol, int year, IPriceProvider provider, PriceRowValidator validator, RawFiles raw, string executionName, CancellationToken cancellationToken)
    {
        var key = LakeKeys.RawPrices(symbol, year);
        var first = new DateOnly(year, 1, 1);
        var last = new DateOnly(year, 12, 31) < validator.LastTradeDate ? new DateOnly(year, 12, 31) : validator.LastTradeDate;
        var refetched = first <= last
            ? validator.CheckImport((await provider.FetchAsync(new PriceRequest(symbol, first, last), cancellationToken)).Rows).Bars
            : [];
        if (refetched.Count > 0)
        {
            await WriteYearAsync(bucket, symbol, year, refetched, raw, cancellationToken);
            return $"{key}: damaged (not what was written), re-fetched {refetched.Count} row(s) of {year}";
        }

        var quarantine = LakeKeys.Damaged(symbol, year, executionName);
        var bytes = await store.GetBytesAsync(bucket, key, cancellationToken);
        if (bytes is not null)
        {
            await store.PutAsync(bucket, quarantine, bytes, cancellationToken);
        }

        await store.DeleteAsync(bucket, key, cancellationToken);
        raw.Record(year, null);
        return $"{key}: damaged (not what was written) and the provider has no rows for {year}: moved to {quarantine}";
    }

    /// <summary>
    /// Reads a stored raw file. Its invalid rows inside <paramref name="replace"/> are being corrected away (counted as
    /// removed); one outside it would be dropped silently by a rewrite, so it stops the ingest with a clear error instead.
    /// </summary>
    private static IReadOnlyList<DailyBar> ReadRaw(byte[] stored, string key, PriceRowValidator validator, (DateOnly From, DateOnly To)? replace)
    {
        var validated = ValidateStored(stored, key, validator);
        var kept = validated.Rejections.Where(r => !Replaces(replace, r.Row)).ToList();
        if (kept.Count > 0)
        {
            var first = kept[0];
            throw new InvalidRawFileException(
                $"The raw file {key} has {kept.Count} invalid row(s) (first: {first.Row.Source}: {first.Reason}); re-import that range (--from/--to) with corrected data, or remove the file, before ingesting more.");
        }

        return validated.Bars;
    }

    private static int CountInvalid(byte[] stored, string key, PriceRowValidator validator) =>
        ValidateStored(stored, key, validator).Rejections.Count;

    private static ValidatedRows ValidateStored(byte[] stored, string key, PriceRowValidator validator)
    {
        using var reader = new StreamReader(new MemoryStream(stored, writable: false), Encoding.UTF8);
        // Rows stored earlier passed the rules of their day; the date limit only moves forward.
        return validator.CheckAll(PriceCsvReader.Read(reader, key));
    }

    private static bool Replaces((DateOnly From, DateOnly To)? replace, RawPriceRow row) =>
        replace is { } range && PriceFieldParser.TryParseDate(row.Date, out var date) && date >= range.From && date <= range.To;

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Creates the provider one ingest call uses, with that call's share of the request budget (null: unpaced).</summary>
public delegate ProviderLease PriceProviderFactory(string provider, double? requestsPerSecond);
