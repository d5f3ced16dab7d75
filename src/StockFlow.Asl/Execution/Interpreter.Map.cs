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
            var items = state.ItemReader is not null && state.Mode == MapMode.Distributed
                ? await new ItemReaderRunner(rt, state).ReadAsync(effective, ctx, frame.Variables)
                : ReadItemsFromInput(state, a.EnteredId, effective, scope);
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

    private static JsonArray ReadItemsFromInput(MapStateDefinition state, long enteredId, JsonNode? effective, Expressions.PayloadScope scope)
    {
        // The items are detached from their array below; take them from the input itself only when nothing reads it later.
        var inputStillNeeded = state.ItemSelector is not null || !state.ResultPath.IsIdentity || state.Retry.Count > 0 || state.Catch.Count > 0;
        var value = state.ItemsPath.IsIdentity
            ? (inputStillNeeded ? effective?.DeepClone() : effective)
            : Eval(state, enteredId, () => Expressions.InputOutputPaths.Select(effective, state.ItemsPath.Path, state.ItemsPath.IsNull, scope));
        return value as JsonArray ?? throw AtState(
            new StatesErrorException(StatesErrors.Runtime, $"Map state input must be an array, but the ItemsPath '{state.ItemsPath.Path}' gave {EventDetails.ToJson(value)}."),
            state,
            enteredId);
    }

    /// <summary>Each iteration's input: the item, or ItemSelector evaluated with $$.Map.Item (done up front, single-threaded).</summary>
    private List<JsonNode?> ItemInputs(MapStateDefinition state, Attempt a, JsonNode? effective, JsonArray items, Frame frame)
    {
        var list = new List<JsonNode?>(items.Count);
        var values = items.ToList();
        items.Clear();
        for (var i = 0; i < values.Count; i++)
        {
            var item = values[i];
            if (state.ItemSelector is null)
            {
                list.Add(item);
                continue;
            }

            var mapItem = new JsonObject { ["Index"] = i, ["Value"] = item?.DeepClone() };
            var ctx = state.UsesContext ? rt.Context(state.Name, a.EnteredTime, a.RetryCount, mapItem) : null;
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
