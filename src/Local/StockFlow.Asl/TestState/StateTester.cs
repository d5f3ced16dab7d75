using System.Text.Json.Nodes;
using StockFlow.Asl.Execution;
using StockFlow.Asl.History;
using StockFlow.Asl.Model;

namespace StockFlow.Asl.TestState;

/// <summary>TestState's outcome: SUCCEEDED, FAILED, CAUGHT_ERROR (a Catch handled it) or RETRIABLE (a Retrier would retry it).</summary>
public sealed record TestStateResult(
    string Status,
    JsonNode? Output,
    string? Error,
    string? Cause,
    string? NextState,
    TestStateInspectionData InspectionData);

/// <summary>The payload after each processing step, as JSON text (null when the step does not apply).</summary>
public sealed record TestStateInspectionData(
    string? Input,
    string? AfterInputPath,
    string? AfterParameters,
    string? Result,
    string? AfterResultSelector,
    string? AfterResultPath);

/// <summary>Runs one state definition in isolation with an input, like Step Functions' TestState API.</summary>
public static class StateTester
{
    public const string Succeeded = "SUCCEEDED";
    public const string Failed = "FAILED";
    public const string CaughtError = "CAUGHT_ERROR";
    public const string Retriable = "RETRIABLE";

    /// <param name="stateJson">One state's JSON, e.g. <c>{"Type":"Task","Resource":"...","Next":"X"}</c>; Next need not exist.</param>
    /// <exception cref="AslDefinitionException">The state definition is invalid.</exception>
    public static Task<TestStateResult> RunAsync(
        string stateJson,
        JsonNode? input,
        ExecutionOptions options,
        IReadOnlyDictionary<string, JsonNode?>? variables = null,
        string stateName = "TestState",
        CancellationToken cancellationToken = default) =>
        RunAsync(StateMachineDefinition.ParseState(stateName, stateJson), input, options, variables, cancellationToken);

    public static async Task<TestStateResult> RunAsync(
        StateDefinition state,
        JsonNode? input,
        ExecutionOptions options,
        IReadOnlyDictionary<string, JsonNode?>? variables = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        var owned = input?.DeepClone();
        var rt = new ExecutionRuntime(options, EventDetails.ToJson(owned), options.TimeProvider.GetUtcNow(), 0, cancellationToken) { StopAtRetry = true };
        var scope = new VariableScope(null);
        if (variables is not null)
        {
            foreach (var (k, v) in variables) scope.Set(k, v?.DeepClone());
        }

        var inspection = new Inspection();
        var frame = new Frame(new HistoryRecorder(options.TimeProvider, null, options.MaxHistoryEvents, null), 0, scope) { Inspection = inspection };
        try
        {
            var step = await new Interpreter(rt).RunStateAsync(state, owned, frame, null);
            if (frame.CaughtBy is not null)
                return new TestStateResult(CaughtError, step.Output, frame.CaughtError?.Error, frame.CaughtError?.Cause, step.Next, Data(inspection));
            return new TestStateResult(Succeeded, step.Output, null, null, step.Next, Data(inspection));
        }
        catch (RetriableSignal r)
        {
            return new TestStateResult(Retriable, null, r.Error.Error, r.Error.Cause, null, Data(inspection));
        }
        catch (StatesErrorException e)
        {
            return new TestStateResult(Failed, null, e.Error, e.Cause, null, Data(inspection));
        }
        catch (HistoryLimitExceededException e)
        {
            return new TestStateResult(Failed, null, StatesErrors.Runtime, e.Message, null, Data(inspection));
        }
    }

    private static TestStateInspectionData Data(Inspection i) =>
        new(i.Input, i.AfterInputPath, i.AfterParameters, i.Result, i.AfterResultSelector, i.AfterResultPath);
}
