using System.Globalization;
using System.Text.Json.Nodes;
using StockFlow.Asl.Distributed;
using StockFlow.Asl.History;
using StockFlow.Asl.Model;

namespace StockFlow.Asl.Execution;

internal sealed partial class Interpreter
{
    private Task<StepResult> RunMapAsync(MapStateDefinition state, JsonNode? raw, Frame frame, StateResume? nested)
    {
        var resume = nested;
        return RunWithRetryAndCatchAsync(state, raw, frame, async a =>
        {
            var attemptResume = resume;
            resume = null;
            var ctx = ContextFor(state, a.EnteredTime, a.RetryCount);
            var effective = SelectInput(state, raw, ctx, frame, a.EnteredId);
            JsonTree.Materialize(effective);
            var scope = Scope(effective, ctx, frame);
            MapItems items;
            if (state.ItemReader is not null && state.Mode == MapMode.Distributed)
            {
                var reader = new ItemReaderRunner(rt, state);
                items = new MapItems(await reader.ReadAsync(effective, ctx, frame.Variables), null, reader.Source);
            }
            else
            {
                items = ReadItemsFromInput(state, a.EnteredId, effective, scope);
            }

            var inputs = ItemInputs(state, a, effective, items, frame);
            if (state.ItemBatcher is not null && state.Mode == MapMode.Distributed)
                inputs = Eval(state, a.EnteredId, () => ItemBatching.Batch(state.ItemBatcher, inputs, scope));
            var concurrency = ConcurrencyLimit(state, a.EnteredId, scope);
            var result = state.Mode == MapMode.Distributed
                ? await RunDistributedAsync(state, a, inputs, concurrency, frame, scope, attemptResume)
                : await RunInlineAsync(state, inputs, concurrency.Limit, frame, attemptResume);
            return FinishResult(state, a, raw, result, ctx, frame);
        });
    }

    /// <summary>
    /// The items a Map iterates and where they came from: an array's items; a JSON object's key-value pairs as
    /// {"Key", "Value"} objects, with the keys for $$.Map.Item.Key; Source for $$.Map.Item.Source of a Distributed Map
    /// (STATE_DATA, or the S3 URI the ItemReader read).
    /// </summary>
    private sealed record MapItems(JsonArray Items, string[]? Keys, string? Source);

    /// <summary>An object iterated by a Map: one {"Key", "Value"} item per property, in the object's order.</summary>
    private static MapItems Pairs(JsonObject obj, string? source)
    {
        var keys = new string[obj.Count];
        var items = new JsonArray();
        var k = 0;
        foreach (var (key, value) in obj.ToList())
        {
            obj.Remove(key);
            keys[k++] = key;
            items.Add(new JsonObject { ["Key"] = key, ["Value"] = value });
        }

        return new MapItems(items, keys, source);
    }

    private static MapItems ReadItemsFromInput(MapStateDefinition state, long enteredId, JsonNode? effective, Expressions.PayloadScope scope)
    {
        // The items are detached from their array below; take them from the input itself only when nothing reads it later.
        var inputStillNeeded = state.ItemSelector is not null || !state.ResultPath.IsIdentity || state.Retry.Count > 0 || state.Catch.Count > 0;
        var value = state.ItemsPath.IsIdentity
            ? (inputStillNeeded ? effective?.DeepClone() : effective)
            : Eval(state, enteredId, () => Expressions.InputOutputPaths.Select(effective, state.ItemsPath.Path, state.ItemsPath.IsNull, scope));
        var source = state.Mode == MapMode.Distributed ? "STATE_DATA" : null;
        return value switch
        {
            JsonArray array => new MapItems(array, null, source),
            JsonObject obj => Pairs(obj, source),
            _ => throw AtState(
                new StatesErrorException(StatesErrors.Runtime, $"Map state input must be an array or an object, but the ItemsPath '{state.ItemsPath.Path}' gave {EventDetails.ToJson(value)}."),
                state,
                enteredId),
        };
    }

    /// <summary>$$.Map.Item for one item: Index and Value, Key for an object's pair, Source in a Distributed Map.</summary>
    private static JsonObject MapItemContext(MapItems items, int index, JsonNode? item)
    {
        var o = new JsonObject { ["Index"] = index };
        if (items.Keys is { } keys)
        {
            o["Key"] = keys[index];
            o["Value"] = item?["Value"]?.DeepClone();
        }
        else
        {
            o["Value"] = item?.DeepClone();
        }

        if (items.Source is not null) o["Source"] = items.Source;
        return o;
    }

    /// <summary>Each iteration's input: the item, or ItemSelector evaluated with $$.Map.Item (done up front, single-threaded).</summary>
    private List<JsonNode?> ItemInputs(MapStateDefinition state, Attempt a, JsonNode? effective, MapItems items, Frame frame)
    {
        var list = new List<JsonNode?>(items.Items.Count);
        var values = items.Items.ToList();
        items.Items.Clear();
        for (var i = 0; i < values.Count; i++)
        {
            var item = values[i];
            if (state.ItemSelector is null)
            {
                list.Add(item);
                continue;
            }

            var ctx = state.UsesContext ? rt.Context(state, a.EnteredTime, a.RetryCount, MapItemContext(items, i, item)) : null;
            list.Add(Detached(Template(state, a.EnteredId, state.ItemSelector, Scope(effective, ctx, frame))));
        }

        if (frame.Inspection is { } ins) ins.AfterParameters = EventDetails.ToJson(new JsonArray(list.Select(n => n?.DeepClone()).ToArray()));
        return list;
    }

    /// <summary>How many children run at once (Limit: the requested number, capped by ExecutionOptions.MaxConcurrency) and what the definition asked for (0 = no limit).</summary>
    private (int Limit, int Requested) ConcurrencyLimit(MapStateDefinition state, long enteredId, Expressions.PayloadScope scope)
    {
        var max = state.MaxConcurrency;
        if (state.MaxConcurrencyPath is { } path)
        {
            var v = Eval(state, enteredId, () => PathNumber(path, scope, "MaxConcurrencyPath"));
            if (v < 0 || v != Math.Floor(v))
                throw AtState(new StatesErrorException(StatesErrors.Runtime, $"MaxConcurrencyPath must give a non-negative integer, but gave {v.ToString(CultureInfo.InvariantCulture)}."), state, enteredId);
            max = (int)Math.Min(v, int.MaxValue);
        }

        var cap = Math.Max(1, rt.Options.MaxConcurrency);
        return (max == 0 ? cap : Math.Min(max, cap), max);
    }

    private async Task<JsonNode?> RunInlineAsync(MapStateDefinition state, List<JsonNode?> inputs, int limit, Frame frame, StateResume? resume)
    {
        var startedId = frame.Emit("MapStateStarted", () => EventDetails.MapStateStarted(inputs.Count));
        var outputs = new JsonNode?[inputs.Count];
        var failure = await ChildRunner.RunAsync(rt, inputs.Count, limit, async (i, child) =>
        {
            ChildResume? previous = null;
            if (resume?.Children.TryGetValue(i, out previous) == true && previous.Succeeded)
            {
                outputs[i] = previous.Output;
                return;
            }

            var f = new Frame(frame.History, startedId, new VariableScope(frame.Variables));
            f.Emit("MapIterationStarted", () => EventDetails.MapIteration("mapIterationStartedEventDetails", state.Name, i));
            try
            {
                outputs[i] = Detached(await child.RunBlockAsync(state.Processor, inputs[i], f, previous?.Resume));
            }
            catch (StatesErrorException)
            {
                f.Emit("MapIterationFailed", () => EventDetails.MapIteration("mapIterationFailedEventDetails", state.Name, i));
                throw;
            }
            catch (OperationCanceledException)
            {
                f.Emit("MapIterationAborted", () => EventDetails.MapIteration("mapIterationAbortedEventDetails", state.Name, i));
                throw;
            }

            f.Emit("MapIterationSucceeded", () => EventDetails.MapIteration("mapIterationSucceededEventDetails", state.Name, i));
        });
        if (failure is not null)
        {
            frame.Emit("MapStateFailed", () => EventDetails.Empty());
            throw failure;
        }

        frame.Emit("MapStateSucceeded", () => EventDetails.Empty());
        return new JsonArray(outputs);
    }
}
