using System.Text.Json.Nodes;
using StockFlow.Asl.History;
using StockFlow.Asl.Model;

namespace StockFlow.Asl.Execution;

internal sealed partial class Interpreter
{
    private Task<StepResult> RunParallelAsync(ParallelStateDefinition state, JsonNode? raw, Frame frame, StateResume? nested)
    {
        var resume = nested;
        return RunWithRetryAndCatchAsync(state, raw, frame, async a =>
        {
            var ctx = ContextFor(state, a.EnteredTime, a.RetryCount);
            var effective = SelectInput(state, raw, ctx, frame, a.EnteredId);
            var branchInput = state.Parameters is null ? effective : Template(state, a.EnteredId, state.Parameters, Scope(effective, ctx, frame));
            if (frame.Inspection is { } ins) ins.AfterParameters = EventDetails.ToJson(branchInput);
            JsonTree.Materialize(branchInput);
            var attemptResume = resume;
            resume = null; // a retry of the whole state runs every branch again
            var result = await RunBranchesAsync(state, branchInput, frame, attemptResume);
            return FinishResult(state, a, raw, result, ctx, frame);
        });
    }

    /// <summary>Runs every branch on a copy of the input; the result is their outputs in branch order.</summary>
    private async Task<JsonNode> RunBranchesAsync(ParallelStateDefinition state, JsonNode? branchInput, Frame frame, StateResume? attemptResume)
    {
        var startedId = frame.Emit("ParallelStateStarted", () => EventDetails.Empty());
        var outputs = new JsonNode?[state.Branches.Count];
        var failure = await ChildRunner.RunAsync(rt, state.Branches.Count, Math.Max(1, Math.Min(state.Branches.Count, rt.Options.MaxConcurrency)), async (i, child) =>
        {
            ChildResume? previous = null;
            if (attemptResume?.Children.TryGetValue(i, out previous) == true && previous.Succeeded)
            {
                outputs[i] = previous.Output;
                return;
            }

            var branchFrame = new Frame(frame.History, startedId, new VariableScope(frame.Variables));
            outputs[i] = Detached(await child.RunBlockAsync(state.Branches[i], branchInput?.DeepClone(), branchFrame, previous?.Resume));
        });
        if (failure is not null)
        {
            frame.Emit("ParallelStateFailed", () => EventDetails.Empty());
            throw failure;
        }

        frame.Emit("ParallelStateSucceeded", () => EventDetails.Empty());
        return new JsonArray(outputs);
    }

    /// <summary>ResultSelector, Assign, ResultPath, OutputPath for a Map/Parallel result.</summary>
    private (JsonNode? Output, JsonObject? Assigned) FinishResult(ResultStateDefinition state, Attempt a, JsonNode? raw, JsonNode? result, JsonNode? ctx, Frame frame)
    {
        if (frame.Inspection is { } ins) ins.Result = EventDetails.ToJson(result);
        var selected = state.ResultSelector is null ? result : Template(state, a.EnteredId, state.ResultSelector, Scope(result, ctx, frame));
        if (frame.Inspection is { } i2) i2.AfterResultSelector = EventDetails.ToJson(selected);
        var assigned = Assign(state, a.EnteredId, state.Assign, selected, ctx, frame);
        var output = ApplyResultPath(state, a.EnteredId, raw, state.ResultPath, Detached(selected), frame);
        return (SelectOutput(state, a.EnteredId, output, ctx, frame), assigned);
    }
}

/// <summary>JsonNode helpers the interpreter needs for safe sharing between concurrent iterations.</summary>
internal static class JsonTree
{
    /// <summary>
    /// Forces lazily-parsed objects/arrays to build their children now, so concurrent readers
    /// (parallel iterations reading $ or variables) never race on that first initialisation.
    /// </summary>
    public static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, v) in o) Materialize(v);
                break;
            case JsonArray a:
                foreach (var v in a) Materialize(v);
                break;
        }
    }
}
