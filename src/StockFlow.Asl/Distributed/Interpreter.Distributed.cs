using System.Globalization;
using System.Text.Json.Nodes;
using StockFlow.Asl.Expressions;

namespace StockFlow.Asl;

internal sealed partial class Interpreter
{
    /// <summary>
    /// A Distributed Map: each item (or batch) runs as its own child execution with its own history and
    /// variables, failures are tolerated up to the threshold, and results can be written to the store.
    /// </summary>
    private async Task<JsonNode?> RunDistributedAsync(MapStateDefinition state, Attempt a, JsonNode? effective, List<JsonNode?> inputs, int limit, Frame frame, PayloadScope scope)
    {
        var runId = Guid.NewGuid().ToString("D");
        var mapRunArn = $"arn:aws:states:{rt.Options.Region}:{rt.Options.AccountId}:mapRun:{rt.Options.StateMachineName}/{state.Label ?? state.Name}:{runId}";
        var toleratedCount = state.ToleratedFailureCount
            ?? (state.ToleratedFailureCountPath is { } cp ? (int?)Eval(state, a.EnteredId, () => (int)PathNumber(cp, scope, "ToleratedFailureCountPath")) : null);
        var toleratedPercent = state.ToleratedFailurePercentage
            ?? (state.ToleratedFailurePercentagePath is { } pp ? (double?)Eval(state, a.EnteredId, () => PathNumber(pp, scope, "ToleratedFailurePercentagePath")) : null);

        frame.Emit("MapStateStarted", () => EventDetails.MapStateStarted(inputs.Count));
        frame.Emit("MapRunStarted", () => EventDetails.MapRunStarted(mapRunArn));
        var records = new ChildExecutionRecord?[inputs.Count];
        var outputs = new JsonNode?[inputs.Count];
        var failed = 0;
        bool Exceeded(int n) =>
            (toleratedCount is null && toleratedPercent is null && n > 0)
            || (toleratedCount is { } c && n > c)
            || (toleratedPercent is { } p && n * 100.0 / Math.Max(1, inputs.Count) > p);

        var failure = await ChildRunner.RunAsync(rt, inputs.Count, limit, async (i, child) =>
        {
            var inputJson = EventDetails.ToJson(inputs[i]);
            var start = rt.Now();
            var history = new HistoryRecorder(rt.Options.TimeProvider, null, rt.Options.MaxHistoryEvents, null);
            var f = new Frame(history, 0, new VariableScope(null));
            f.Emit("ExecutionStarted", () => EventDetails.ExecutionStarted(inputJson, rt.Options.RoleArn));
            var name = $"{runId}:{i.ToString(CultureInfo.InvariantCulture)}";
            try
            {
                var output = Detached(await child.RunBlockAsync(state.Processor, inputs[i], f, null));
                var outputJson = EventDetails.ToJson(output);
                history.Emit(f.LastEventId, "ExecutionSucceeded", () => EventDetails.ExecutionSucceeded(outputJson), terminal: true);
                outputs[i] = output;
                records[i] = new ChildExecutionRecord(name, "SUCCEEDED", inputJson, outputJson, null, null, start, rt.Now());
            }
            catch (StatesErrorException e)
            {
                history.Emit(f.LastEventId, "ExecutionFailed", () => EventDetails.ErrorCause("executionFailedEventDetails", e.Error, e.Cause), terminal: true);
                outputs[i] = new JsonObject { ["Error"] = e.Error, ["Cause"] = e.Cause };
                records[i] = new ChildExecutionRecord(name, "FAILED", inputJson, null, e.Error, e.Cause, start, rt.Now());
                if (Exceeded(Interlocked.Increment(ref failed)))
                {
                    throw new StatesErrorException(
                        StatesErrors.ExceedToleratedFailureThreshold,
                        "The specified tolerated failure threshold was exceeded.");
                }
            }
        });

        JsonNode? writerOutput = null;
        if (state.ResultWriter is { } writer)
        {
            writerOutput = await new ResultWriterRunner(rt, state, writer).WriteAsync(runId, mapRunArn, records, inputs, scope);
        }

        if (failure is not null)
        {
            frame.Emit("MapRunFailed", () => EventDetails.ErrorCause("mapRunFailedEventDetails", failure.Error, failure.Cause));
            frame.Emit("MapStateFailed", () => EventDetails.Empty());
            throw failure;
        }

        frame.Emit("MapRunSucceeded", () => EventDetails.Empty());
        frame.Emit("MapStateSucceeded", () => EventDetails.Empty());
        return writerOutput ?? new JsonArray(outputs);
    }
}

/// <summary>One child execution of a Distributed Map, as ResultWriter reports it.</summary>
internal sealed record ChildExecutionRecord(
    string Name, string Status, string Input, string? Output, string? Error, string? Cause, string StartDate, string StopDate);

/// <summary>ResultWriter: manifest.json plus SUCCEEDED_n/FAILED_n/PENDING_n files under Prefix/&lt;map run id&gt;/.</summary>
internal sealed class ResultWriterRunner(ExecutionRuntime rt, MapStateDefinition state, ResultWriterDefinition writer)
{
    public async Task<JsonNode?> WriteAsync(string runId, string mapRunArn, ChildExecutionRecord?[] records, List<JsonNode?> inputs, PayloadScope scope)
    {
        var store = rt.Options.ItemStore ?? throw Fail("No object store is configured for the Map state's ResultWriter.");
        if (!string.Equals(writer.Resource, "arn:aws:states:::s3:putObject", StringComparison.Ordinal))
            throw Fail($"The ResultWriter resource '{writer.Resource}' is not supported; use arn:aws:states:::s3:putObject.");
        JsonObject parameters;
        try
        {
            parameters = (writer.Parameters is null ? null : PayloadTemplate.Evaluate(writer.Parameters, scope)) as JsonObject
                ?? throw Fail("ResultWriter needs Parameters with Bucket and Prefix.");
        }
        catch (StatesErrorException e) when (e.Error != StatesErrors.ResultWriterFailed)
        {
            throw Fail(e.Cause);
        }

        var bucket = parameters["Bucket"] is JsonValue b && b.TryGetValue<string>(out var bs) && bs.Length > 0 ? bs : throw Fail("ResultWriter Parameters need a string 'Bucket'.");
        var prefix = parameters["Prefix"] is JsonValue p && p.TryGetValue<string>(out var ps) ? ps.TrimEnd('/') : string.Empty;
        var folder = prefix.Length == 0 ? runId + "/" : $"{prefix}/{runId}/";
        var groups = new Dictionary<string, JsonArray>(StringComparer.Ordinal) { ["SUCCEEDED"] = [], ["FAILED"] = [], ["PENDING"] = [] };
        for (var i = 0; i < records.Length; i++)
        {
            var r = records[i];
            if (r is null)
            {
                groups["PENDING"].Add(new JsonObject { ["Input"] = EventDetails.ToJson(inputs[i]), ["Status"] = "PENDING" });
                continue;
            }

            var o = new JsonObject
            {
                ["ExecutionArn"] = $"arn:aws:states:{rt.Options.Region}:{rt.Options.AccountId}:execution:{rt.Options.StateMachineName}/{state.Label ?? state.Name}:{r.Name}",
                ["Input"] = r.Input,
                ["InputDetails"] = new JsonObject { ["Included"] = true },
                ["Name"] = r.Name,
                ["StartDate"] = r.StartDate,
                ["StateMachineArn"] = rt.StateMachineArn,
                ["Status"] = r.Status,
                ["StopDate"] = r.StopDate,
            };
            if (r.Output is not null)
            {
                o["Output"] = r.Output;
                o["OutputDetails"] = new JsonObject { ["Included"] = true };
            }

            if (r.Error is not null)
            {
                o["Error"] = r.Error;
                o["Cause"] = r.Cause;
            }

            groups[r.Status].Add(o);
        }

        var files = new JsonObject();
        foreach (var (status, items) in groups)
        {
            var list = new JsonArray();
            if (items.Count > 0)
            {
                var key = $"{folder}{status}_0.json";
                var bytes = System.Text.Encoding.UTF8.GetBytes(EventDetails.ToJson(items));
                await Write(store, bucket, key, bytes);
                list.Add(new JsonObject { ["Key"] = key, ["Size"] = bytes.Length });
            }

            files[status] = list;
        }

        var manifest = new JsonObject { ["DestinationBucket"] = bucket, ["MapRunArn"] = mapRunArn, ["ResultFiles"] = files };
        var manifestKey = folder + "manifest.json";
        await Write(store, bucket, manifestKey, System.Text.Encoding.UTF8.GetBytes(EventDetails.ToJson(manifest)));
        return new JsonObject
        {
            ["MapRunArn"] = mapRunArn,
            ["ResultWriterDetails"] = new JsonObject { ["Bucket"] = bucket, ["Key"] = manifestKey },
        };
    }

    private async Task Write(IItemReaderStore store, string bucket, string key, byte[] bytes)
    {
        try
        {
            using var ms = new MemoryStream(bytes, writable: false);
            await store.WriteAsync(bucket, key, ms, rt.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException and not StatesErrorException)
        {
            throw Fail($"Writing s3://{bucket}/{key} failed: {e.Message}");
        }
    }

    private static StatesErrorException Fail(string cause) => new(StatesErrors.ResultWriterFailed, cause);
}
