using System.Globalization;
using System.Text.Json.Nodes;
using StockFlow.Asl.Distributed;
using StockFlow.Asl.Expressions;
using StockFlow.Asl.History;
using StockFlow.Asl.Model;

namespace StockFlow.Asl.Execution;

internal sealed partial class Interpreter
{
    /// <summary>
    /// A Distributed Map: a Map Run whose items (or batches) each run as a child execution with its own
    /// history; the parent history gets only the Map Run's start and end, whatever the item count.
    /// Children and counts go to <see cref="ExecutionOptions.MapRunStore"/> as they finish. On redrive
    /// (<paramref name="resume"/> names the earlier Map Run) only the children that did not succeed run
    /// again; the succeeded ones keep their recorded outputs, and ResultWriter writes the whole run again.
    /// Failures are tolerated up to the threshold, counted in items as AWS counts them.
    /// </summary>
    private async Task<JsonNode?> RunDistributedAsync(
        MapStateDefinition state, Attempt a, List<JsonNode?> inputs, (int Limit, int Requested) concurrency, Frame frame, PayloadScope scope, StateResume? resume)
    {
        var store = rt.Options.MapRunStore;
        var label = state.Label ?? state.Name;
        var (jsonataCount, jsonataPercent) = state.Jsonata ? JsonataTolerance(state, a) : (null, null);
        var toleratedCount = jsonataCount ?? state.ToleratedFailureCount
            ?? (state.ToleratedFailureCountPath is { } cp ? (int?)Eval(state, a.EnteredId, () => (int)PathInteger(cp, scope, "ToleratedFailureCountPath", 0)) : null);
        var toleratedPercent = jsonataPercent ?? state.ToleratedFailurePercentage
            ?? (state.ToleratedFailurePercentagePath is { } pp ? (double?)Eval(state, a.EnteredId, () => PathNumber(pp, scope, "ToleratedFailurePercentagePath")) : null);
        if (toleratedPercent is < 0 or > 100)
            throw AtState(new StatesErrorException(StatesErrors.Runtime, $"ToleratedFailurePercentage must be between 0 and 100, but was {toleratedPercent.Value.ToString(CultureInfo.InvariantCulture)}."), state, a.EnteredId);
        if (toleratedCount is < 0)
            throw AtState(new StatesErrorException(StatesErrors.Runtime, $"ToleratedFailureCount must not be negative, but was {toleratedCount.Value.ToString(CultureInfo.InvariantCulture)}."), state, a.EnteredId);

        var itemsOf = new int[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
            itemsOf[i] = state.ItemBatcher is not null && inputs[i] is JsonObject batch && batch["Items"] is JsonArray batchItems ? batchItems.Count : 1;

        var records = new ChildExecutionRecord?[inputs.Count];
        var outputs = new JsonNode?[inputs.Count];
        var unsuccessful = new HashSet<int>();
        var previous = resume?.MapRunArn is { } previousArn ? store?.FindMapRun(previousArn) : null;
        // The same items as the earlier attempt (the state's input is what it was): continue that Map Run.
        var redriven = previous is not null && previous.ExecutionCounts.Total == inputs.Count;
        string mapRunArn;
        if (redriven)
        {
            mapRunArn = previous!.MapRunArn;
            foreach (var child in store!.GetChildren(mapRunArn))
            {
                if (child.Index < 0 || child.Index >= inputs.Count) continue;
                if (!child.IsSucceeded)
                {
                    unsuccessful.Add(child.Index);
                    continue;
                }

                records[child.Index] = child;
                outputs[child.Index] = child.Output is null ? null : JsonNode.Parse(child.Output);
            }
        }
        else
        {
            mapRunArn = $"arn:aws:states:{rt.Options.Region}:{rt.Options.AccountId}:mapRun:{rt.Options.StateMachineName}/{label}:{Guid.NewGuid():D}";
        }

        var runId = mapRunArn[(mapRunArn.LastIndexOf(':') + 1)..];
        var now = rt.Options.TimeProvider.GetUtcNow();
        var tracker = new MapRunTracker(store, rt.Options.TimeProvider, new MapRunRecord
        {
            MapRunArn = mapRunArn,
            ExecutionArn = rt.ExecutionArn,
            StateName = label,
            Status = MapRunRecord.Running,
            StartDate = redriven ? previous!.StartDate : now,
            MaxConcurrency = concurrency.Requested,
            ToleratedFailurePercentage = toleratedPercent ?? 0,
            ToleratedFailureCount = toleratedCount ?? 0,
            ItemCounts = MapRunCounts.Empty,
            ExecutionCounts = MapRunCounts.Empty,
            RedriveCount = redriven ? previous!.RedriveCount + 1 : 0,
            RedriveDate = redriven ? now : null,
        }, itemsOf, records, unsuccessful);

        // Failed and timed-out items against the total; without a tolerance any failure fails the run, with both
        // a count and a percentage exceeding either does (AWS's "tolerated failure threshold").
        bool Exceeded(long failedItems) =>
            (toleratedCount is null && toleratedPercent is null && failedItems > 0)
            || (toleratedCount is { } c && failedItems > c)
            || (toleratedPercent is { } p && failedItems * 100.0 / Math.Max(1, tracker.TotalItems) > p);

        frame.Emit("MapStateStarted", () => EventDetails.MapStateStarted(inputs.Count));
        var redriveCount = tracker.Current().RedriveCount;
        if (redriven) frame.Emit("MapRunRedriven", () => EventDetails.MapRunRedriven(mapRunArn, redriveCount));
        else frame.Emit("MapRunStarted", () => EventDetails.MapRunStarted(mapRunArn));
        tracker.Begin();

        var toRun = Enumerable.Range(0, inputs.Count).Where(i => records[i] is null).ToArray();
        StatesErrorException? failure;
        try
        {
            failure = await ChildRunner.RunAsync(rt, toRun.Length, concurrency.Limit, async (k, child) =>
            {
                var i = toRun[k];
                var inputJson = EventDetails.ToJson(inputs[i]);
                var start = rt.Options.TimeProvider.GetUtcNow();
                var history = new HistoryRecorder(rt.Options.TimeProvider, null, rt.Options.MaxHistoryEvents, null);
                var f = new Frame(history, 0, new VariableScope(null));
                f.Emit("ExecutionStarted", () => EventDetails.ExecutionStarted(inputJson, rt.Options.RoleArn));
                var name = $"{runId}:{i.ToString(CultureInfo.InvariantCulture)}";
                tracker.Started(i);
                ChildExecutionRecord Record(string status, string? output, string? error, string? cause) => new()
                {
                    Index = i,
                    Name = name,
                    Status = status,
                    Input = inputJson,
                    Output = output,
                    Error = error,
                    Cause = cause,
                    StartDate = start,
                    StopDate = rt.Options.TimeProvider.GetUtcNow(),
                    ItemCount = itemsOf[i],
                    HistoryJson = status == MapRunRecord.Succeeded ? null : HistoryJson(history),
                };

                try
                {
                    var own = new Interpreter(child.Runtime.ForChildExecution(ChildExecutionArn(rt, label, name), name, inputJson, start, label));
                    var output = Detached(await own.RunBlockAsync(state.Processor, inputs[i], f, null));
                    var outputJson = EventDetails.ToJson(output);
                    history.Emit(f.LastEventId, "ExecutionSucceeded", () => EventDetails.ExecutionSucceeded(outputJson), terminal: true);
                    outputs[i] = output;
                    var done = Record(MapRunRecord.Succeeded, outputJson, null, null);
                    records[i] = done;
                    tracker.Finished(done);
                }
                catch (StatesErrorException e)
                {
                    history.Emit(f.LastEventId, "ExecutionFailed", () => EventDetails.ErrorCause("executionFailedEventDetails", e.Error, e.Cause), terminal: true);
                    outputs[i] = new JsonObject { ["Error"] = e.Error, ["Cause"] = e.Cause };
                    var failed = Record(MapRunRecord.Failed, null, e.Error, e.Cause);
                    records[i] = failed;
                    tracker.Finished(failed);
                    if (Exceeded(tracker.FailedItems))
                    {
                        throw new StatesErrorException(
                            StatesErrors.ExceedToleratedFailureThreshold,
                            "The specified tolerated failure threshold was exceeded.");
                    }
                }
                catch (OperationCanceledException)
                {
                    // Stopped because the Map Run failed or the execution was stopped: AWS reports the child ABORTED.
                    history.Emit(f.LastEventId, "ExecutionAborted", () => EventDetails.ErrorCause("executionAbortedEventDetails", null, null), terminal: true);
                    var aborted = Record(MapRunRecord.Aborted, null, null, null);
                    records[i] = aborted;
                    tracker.Finished(aborted);
                    throw;
                }
            });
        }
        catch (OperationCanceledException)
        {
            tracker.End(MapRunRecord.Aborted, null, null);
            frame.Emit("MapRunAborted", () => EventDetails.Empty());
            throw;
        }
        catch (Exception e) when (e is not StatesErrorException)
        {
            tracker.End(MapRunRecord.Failed, StatesErrors.Runtime, e.Message);
            throw;
        }

        JsonNode? writerOutput = null;
        if (state.ResultWriter is { } writer)
        {
            try
            {
                Func<JsonNode?> target = state.Jsonata
                    ? () => Query(state, a.EnteredId, writer.Arguments, a.Query!, "ResultWriter/Arguments")
                    : () => writer.Parameters is null ? null : PayloadTemplate.Evaluate(writer.Parameters, scope);
                writerOutput = await new ResultWriterRunner(rt, state, writer).WriteAsync(runId, mapRunArn, records, inputs, outputs, target);
                tracker.ResultsWritten();
            }
            catch (StatesErrorException e)
            {
                failure ??= e;
            }
        }

        if (failure is not null)
        {
            tracker.End(MapRunRecord.Failed, failure.Error, failure.Cause);
            frame.Emit("MapRunFailed", () => EventDetails.ErrorCause("mapRunFailedEventDetails", failure.Error, failure.Cause));
            frame.Emit("MapStateFailed", () => EventDetails.Empty());
            throw failure;
        }

        tracker.End(MapRunRecord.Succeeded, null, null);
        frame.Emit("MapRunSucceeded", () => EventDetails.Empty());
        frame.Emit("MapStateSucceeded", () => EventDetails.Empty());
        return writerOutput ?? new JsonArray(outputs);
    }

    /// <summary>A child workflow execution's ARN: the parent's state machine and the Map's label name its own.</summary>
    internal static string ChildExecutionArn(ExecutionRuntime rt, string label, string name) =>
        $"arn:aws:states:{rt.Options.Region}:{rt.Options.AccountId}:execution:{rt.Options.StateMachineName}/{label}:{name}";

    /// <summary>A child's events as GetExecutionHistory's <c>events</c> array.</summary>
    private static string HistoryJson(HistoryRecorder history) =>
        new JsonArray(history.Snapshot().Select(e => (JsonNode?)e.ToAwsJson()).ToArray()).ToJsonString();
}

/// <summary>
/// ResultWriter: with a Resource, manifest.json plus SUCCEEDED_n/FAILED_n/PENDING_n files under Prefix/&lt;map run id&gt;/
/// and the state's result names the manifest; with WriterConfig alone, the shaped results are the state's result.
/// WriterConfig.Transformation shapes the succeeded children's results (NONE: metadata and output, COMPACT: outputs,
/// FLATTEN: outputs with arrays spliced); failed children keep the NONE shape, as AWS writes them.
/// </summary>
internal sealed class ResultWriterRunner(ExecutionRuntime rt, MapStateDefinition state, ResultWriterDefinition writer)
{
    public async Task<JsonNode?> WriteAsync(
        string runId, string mapRunArn, ChildExecutionRecord?[] records, List<JsonNode?> inputs, JsonNode?[] outputs, Func<JsonNode?> target)
    {
        if (!writer.WritesToStore)
        {
            var preview = new JsonArray();
            for (var i = 0; i < records.Length; i++)
            {
                if (records[i] is { } r) Shape(preview, r, outputs[i]);
            }

            return preview;
        }

        var store = rt.Options.ItemStore ?? throw Fail("No object store is configured for the Map state's ResultWriter.");
        if (!string.Equals(writer.Resource, "arn:aws:states:::s3:putObject", StringComparison.Ordinal))
            throw Fail($"The ResultWriter resource '{writer.Resource}' is not supported; use arn:aws:states:::s3:putObject.");
        var field = state.Jsonata ? "Arguments" : "Parameters";
        JsonNode? evaluated;
        try
        {
            evaluated = target();
        }
        catch (StatesErrorException e) when (!state.Jsonata && e.Error != StatesErrors.ResultWriterFailed)
        {
            throw Fail(e.Cause);
        }

        var parameters = evaluated as JsonObject ?? throw Fail($"ResultWriter needs {field} with Bucket and Prefix.");
        var bucket = parameters["Bucket"] is JsonValue b && b.TryGetValue<string>(out var bs) && bs.Length > 0 ? bs : throw Fail($"ResultWriter {field} need a string 'Bucket'.");
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

            // ABORTED and TIMED_OUT children go to the FAILED files with their own Status, as AWS writes them.
            Shape(groups[r.IsSucceeded ? "SUCCEEDED" : "FAILED"], r, outputs[i]);
        }

        var extension = writer.OutputType == "JSONL" ? "jsonl" : "json";
        var files = new JsonObject();
        foreach (var (status, items) in groups)
        {
            var list = new JsonArray();
            if (items.Count > 0)
            {
                var key = $"{folder}{status}_0.{extension}";
                var bytes = System.Text.Encoding.UTF8.GetBytes(writer.OutputType == "JSONL" ? JsonLines(items) : EventDetails.ToJson(items));
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

    /// <summary>Adds one finished child's result in the configured shape (failed children always in the NONE shape).</summary>
    private void Shape(JsonArray into, ChildExecutionRecord r, JsonNode? output)
    {
        if (!r.IsSucceeded || writer.Transformation == ResultTransformation.None)
        {
            into.Add(Metadata(r));
            return;
        }

        if (writer.Transformation == ResultTransformation.Flatten && output is JsonArray array)
        {
            foreach (var element in array) into.Add(element?.DeepClone());
            return;
        }

        into.Add(output?.DeepClone());
    }

    private JsonObject Metadata(ChildExecutionRecord r)
    {
        var o = new JsonObject
        {
            ["ExecutionArn"] = Interpreter.ChildExecutionArn(rt, state.Label ?? state.Name, r.Name),
            ["Input"] = r.Input,
            ["InputDetails"] = new JsonObject { ["Included"] = true },
            ["Name"] = r.Name,
            ["StartDate"] = ExecutionRuntime.FormatTime(r.StartDate),
            ["StateMachineArn"] = rt.StateMachineArn,
            ["Status"] = r.Status,
            ["StopDate"] = r.StopDate is { } stop ? ExecutionRuntime.FormatTime(stop) : null,
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

        return o;
    }

    private static string JsonLines(JsonArray items)
    {
        var text = new System.Text.StringBuilder();
        foreach (var item in items) text.Append(EventDetails.ToJson(item)).Append('\n');
        return text.ToString();
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
