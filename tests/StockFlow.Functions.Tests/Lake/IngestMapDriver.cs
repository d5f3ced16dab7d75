using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Functions.Hosting;
using StockFlow.Functions.Ingest;
using StockFlow.Functions.Plan;
using StockFlow.Functions.Summarize;
using StockFlow.Storage;

namespace StockFlow.Functions.Tests.Lake;

/// <summary>
/// Does what the definition's ingest Map does between the plan and the summarize step, without the state machine:
/// reads the plan's work list from the lake (ItemReader, JSONL), cuts it into batches with the plan's BatchInput
/// (ItemBatcher), calls the ingest function per batch, and writes the outcomes where the ResultWriter would
/// (manifest.json, SUCCEEDED_0.json, FAILED_0.json), so the summarize function reads what it reads on AWS.
/// </summary>
public sealed class IngestMapDriver(IObjectStore store, string bucket, IngestHandler ingest, SummarizeHandler summarize)
{
    public async Task<IReadOnlyList<IngestItem>> ItemsAsync(PlanResult plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var text = await store.GetTextAsync(bucket, plan.ItemsKey) ?? throw new InvalidOperationException($"no work list at {plan.ItemsKey}");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<IngestItem>(line, HandlerJson.Options)!)
            .ToList();
    }

    /// <summary>Every batch's payload exactly as the ItemBatcher builds it.</summary>
    public async Task<IReadOnlyList<JsonObject>> BatchesAsync(PlanResult plan)
    {
        var items = await ItemsAsync(plan);
        return items.Chunk(plan!.Ingest.BatchSize)
            .Select(chunk => new JsonObject
            {
                ["BatchInput"] = HandlerJson.Write(plan.BatchInput),
                ["Items"] = HandlerJson.Write(chunk),
            })
            .ToList();
    }

    /// <summary>Runs every batch, writes the ResultWriter output and summarizes it.</summary>
    public async Task<(IngestSummary Summary, IReadOnlyList<SymbolOutcome> Outcomes)> RunAsync(PlanResult plan, string executionName)
    {
        var succeeded = new JsonArray();
        var failed = new JsonArray();
        foreach (var batch in await BatchesAsync(plan))
        {
            var record = new JsonObject { ["Input"] = batch.ToJsonString() };
            try
            {
                var output = await ingest.HandleAsync(batch, CancellationToken.None);
                record["Status"] = "SUCCEEDED";
                record["Output"] = output!.ToJsonString();
                succeeded.Add(record);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                record["Status"] = "FAILED";
                record["Error"] = ex.GetType().Name;
                record["Cause"] = new JsonObject { ["errorMessage"] = ex.Message, ["errorType"] = ex.GetType().Name }.ToJsonString();
                failed.Add(record);
            }
        }

        var folder = plan.ResultsPrefix + "/run-1/";
        var files = new JsonObject();
        foreach (var (status, records) in new[] { ("SUCCEEDED", succeeded), ("FAILED", failed) })
        {
            var list = new JsonArray();
            if (records.Count > 0)
            {
                var key = folder + status + "_0.json";
                var bytes = Encoding.UTF8.GetBytes(records.ToJsonString());
                await store.PutAsync(bucket, key, bytes);
                list.Add(new JsonObject { ["Key"] = key, ["Size"] = bytes.Length });
            }

            files[status] = list;
        }

        var manifestKey = folder + "manifest.json";
        await store.PutTextAsync(bucket, manifestKey, new JsonObject { ["DestinationBucket"] = bucket, ["ResultFiles"] = files }.ToJsonString());
        var request = new SummarizeRequest(executionName, bucket, plan.Provider, plan.ResultsPrefix);
        var summary = await summarize.SummarizeAsync(request, CancellationToken.None);
        var outcomes = JsonSerializer.Deserialize<List<SymbolOutcome>>((await store.GetTextAsync(bucket, summary.SummaryKey))!, HandlerJson.Options)!;
        return (summary, outcomes);
    }
}
