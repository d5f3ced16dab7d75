using System.Text.Json.Nodes;
using StockFlow.Asl.Execution;
using StockFlow.Asl.History;
using StockFlow.Asl.Model;

namespace StockFlow.Asl.TestState;

/// <summary>TestState's outcome: SUCCEEDED, FAILED, CAUGHT_ERROR (a Catch handled it) or RETRIABLE (a Retrier would retry it).</summary>
/// <param name="Status">One of <see cref="StateTester.Succeeded"/>, <see cref="StateTester.Failed"/>, <see cref="StateTester.CaughtError"/>, <see cref="StateTester.Retriable"/>.</param>
/// <param name="Output">The state's output (after a Catch, the catcher's); null when it failed or would retry.</param>
/// <param name="Error">The error name, unless the state succeeded.</param>
/// <param name="Cause">The cause that goes with <paramref name="Error"/>.</param>
/// <param name="NextState">The state that would run next (Next, the chosen Choice branch, or the Catch target); null at an end or a failure.</param>
/// <param name="InspectionData">The payload after each processing step.</param>
public sealed record TestStateResult(
    string Status,
    JsonNode? Output,
    string? Error,
    string? Cause,
    string? NextState,
    TestStateInspectionData InspectionData);

/// <summary>The payload after each processing step, as JSON text (null when the step does not apply).</summary>
/// <param name="Input">The state's raw input.</param>
/// <param name="AfterInputPath">The effective input after InputPath.</param>
/// <param name="AfterParameters">After Parameters (JSONPath) or Arguments (JSONata): what the task received.</param>
/// <param name="Result">The task's raw result.</param>
/// <param name="AfterResultSelector">The result after ResultSelector.</param>
/// <param name="AfterResultPath">The output after ResultPath, before OutputPath.</param>
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
    /// <summary>The state completed; <see cref="TestStateResult.NextState"/> says where the machine would go.</summary>
    public const string Succeeded = "SUCCEEDED";

    /// <summary>The state failed with an error that no Retry or Catch entry handles.</summary>
    public const string Failed = "FAILED";

    /// <summary>A Catch entry handled the error; the output is the catcher's and the next state its target.</summary>
    public const string CaughtError = "CAUGHT_ERROR";

    /// <summary>A Retry entry would retry the error (TestState reports this instead of waiting and retrying).</summary>
    public const string Retriable = "RETRIABLE";

    /// <summary>Loads one state from its JSON and runs it once (see the other overload).</summary>
    /// <param name="stateJson">One state's JSON, e.g. <c>{"Type":"Task","Resource":"...","Next":"X"}</c>; Next need not exist.</param>
    /// <param name="input">The state's input.</param>
    /// <param name="options">Task bindings, clock and identity, as for an execution.</param>
    /// <param name="variables">Workflow variables the state can read (<c>$name</c>); null for none.</param>
    /// <param name="stateName">The state's name ($$.State.Name and error messages).</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <exception cref="AslDefinitionException">The state definition is invalid.</exception>
    public static Task<TestStateResult> RunAsync(
        string stateJson,
        JsonNode? input,
        ExecutionOptions options,
        IReadOnlyDictionary<string, JsonNode?>? variables = null,
        string stateName = "TestState",
        CancellationToken cancellationToken = default) =>
        RunAsync(StateMachineDefinition.ParseState(stateName, stateJson), input, options, variables, cancellationToken);

    /// <summary>
    /// Runs <paramref name="state"/> once with <paramref name="input"/>: its Task calls go to the options' binding, a
    /// matching Retry is reported as <see cref="Retriable"/> rather than waited for, and errors end in the result
    /// (never thrown).
    /// </summary>
    /// <param name="state">The state to run.</param>
    /// <param name="input">The state's input.</param>
    /// <param name="options">Task bindings, clock and identity, as for an execution.</param>
    /// <param name="variables">Workflow variables the state can read (<c>$name</c>); null for none.</param>
    /// <param name="cancellationToken">Stops the run.</param>
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
