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
/// The <c>ingest</c> function, one symbol per call: fetch the range, validate every row,
/// merge the good ones into the symbol's yearly raw files (last ingested wins), quarantine the
/// rejected ones with their reasons, then move the watermark. Every write replaces a whole
/// key, so re-running the same item rewrites the same objects and never duplicates rows.
/// Provider errors propagate with their type names, which the state machine's Retry and Catch
/// match on.
/// </summary>
public sealed class IngestHandler(IObjectStore store, Func<string, IPriceProvider> providers, TimeProvider clock) : ILambdaHandler
{
    public string Name => "ingest";

    public async Task<JsonNode?> HandleAsync(JsonNode? payload, CancellationToken cancellationToken)
    {
        var item = HandlerJson.Read<IngestItem>(payload, Name);
        return HandlerJson.Write(await IngestAsync(item, cancellationToken));
    }

    public async Task<IngestResult> IngestAsync(IngestItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var symbol = SymbolValidator.Validate(item.Symbol);
        var executionName = ExecutionNames.Validate(item.ExecutionName);
        var from = ParseDate(item.From, "from");
        var to = ParseDate(item.To, "to");
        if (from > to)
        {
            return new IngestResult(symbol, "ok", item.Provider, item.From, item.To, 0, 0, 0, 0, null, null, null, UpToDate: true);
        }

        var fetched = await providers(item.Provider).FetchAsync(new PriceRequest(symbol, from, to), cancellationToken);
        var validated = PriceRowValidator.At(clock).CheckAll(fetched.Rows);
        var bars = PriceSeries.Deduplicate(validated.Bars);

        var rowsWritten = 0;
        foreach (var year in bars.GroupBy(b => b.Date.Year).OrderBy(g => g.Key))
        {
            rowsWritten += await MergeYearAsync(item.Bucket, symbol, year.Key, year.ToList(), cancellationToken);
        }

        var rejectedKey = LakeKeys.Rejected(symbol, executionName);
        if (validated.Rejections.Count > 0)
        {
            await store.PutTextAsync(item.Bucket, rejectedKey, RejectedRowsCsvWriter.WriteString(validated.Rejections), cancellationToken);
        }
        else
        {
            // A rerun that no longer rejects anything must not leave the earlier quarantine behind.
            await store.DeleteAsync(item.Bucket, rejectedKey, cancellationToken);
        }

        if (bars.Count > 0)
        {
            var previous = await Watermark.ReadAsync(store, item.Bucket, symbol, cancellationToken);
            var last = bars[^1].Date;
            if (previous is null || previous.LastDate < last)
            {
                await new Watermark(symbol, last, item.Provider, clock.GetUtcNow()).WriteAsync(store, item.Bucket, cancellationToken);
            }
        }

        return new IngestResult(
            symbol,
            "ok",
            item.Provider,
            item.From,
            item.To,
            fetched.Rows.Count,
            bars.Count,
            rowsWritten,
            validated.Rejections.Count,
            bars.Count > 0 ? Format(bars[0].Date) : null,
            bars.Count > 0 ? Format(bars[^1].Date) : null,
            validated.Rejections.Count > 0 ? rejectedKey : null,
            UpToDate: false)
        {
            DroppedEmptyBars = fetched.DroppedEmptyBars,
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

/// <summary>One symbol's ingest outcome, as the Map state collects it (a caught failure carries only Symbol, Status, Error and Cause).</summary>
public sealed record IngestResult(
    string Symbol,
    string Status,
    string? Provider,
    string? From,
    string? To,
    int RowsFetched,
    int RowsAccepted,
    int RowsWritten,
    int RowsRejected,
    string? FirstDate,
    string? LastDate,
    string? RejectedKey,
    string? Error = null,
    bool UpToDate = false,
    string? Cause = null)
{
    /// <summary>Bars the source sent with every value null: dropped (never written as zeros) but counted, so nothing vanishes unseen.</summary>
    public int DroppedEmptyBars { get; init; }
}
