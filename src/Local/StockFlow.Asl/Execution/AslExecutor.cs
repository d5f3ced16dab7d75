using System.Text.Json.Nodes;
using StockFlow.Asl.History;
using StockFlow.Asl.Model;
using StockFlow.Asl.Redrive;

namespace StockFlow.Asl.Execution;

/// <summary>Runs a state machine definition to completion (or redrives a failed/interrupted run of it).</summary>
public static class AslExecutor
{
    /// <summary>
    /// Starts an execution; when <see cref="ExecutionOptions.RedriveFrom"/> is set, resumes that execution instead.
    /// Never throws for execution failures: the result says SUCCEEDED, FAILED, TIMED_OUT or ABORTED
    /// (ABORTED when <paramref name="cancellationToken"/> is cancelled).
    /// </summary>
    public static Task<ExecutionResult> RunAsync(StateMachineDefinition definition, JsonNode? input, ExecutionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(options);
        if (options.RedriveFrom is { } previous) return RedriveAsync(definition, previous, options, cancellationToken);
        var recorder = new HistoryRecorder(options.TimeProvider, options.EventSink, options.MaxHistoryEvents, null);
        var owned = input?.DeepClone();
        var start = options.TimeProvider.GetUtcNow();
        var inputJson = EventDetails.ToJson(owned);
        var startedId = recorder.Emit(0, "ExecutionStarted", () => EventDetails.ExecutionStarted(inputJson, options.RoleArn));
        return DriveAsync(definition, owned, inputJson, options, recorder, start, 0, startedId, null, cancellationToken);
    }

    /// <summary>
    /// Redrive as Step Functions does: from the events of a FAILED, TIMED_OUT, ABORTED or interrupted execution
    /// (in id order, as a store persisted them), resume at the state that failed or was running, with the input
    /// and variables it had; finished Map iterations and Parallel branches keep their recorded outputs.
    /// The history continues with an ExecutionRedriven event; the sink receives only the new events.
    /// </summary>
    /// <exception cref="InvalidOperationException">The events do not describe a redrivable execution of this definition.</exception>
    public static Task<ExecutionResult> RedriveAsync(StateMachineDefinition definition, IReadOnlyList<HistoryEvent> previousEvents, ExecutionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(previousEvents);
        ArgumentNullException.ThrowIfNull(options);
        var plan = RedrivePlanner.Plan(definition, previousEvents);
        var recorder = new HistoryRecorder(options.TimeProvider, options.EventSink, options.MaxHistoryEvents, previousEvents);
        var redrivenId = recorder.Emit(recorder.LastId, "ExecutionRedriven", () => EventDetails.ExecutionRedriven(plan.RedriveCount));
        if (plan.CompletedOutput is { } done)
        {
            recorder.Emit(redrivenId, "ExecutionSucceeded", () => EventDetails.ExecutionSucceeded(EventDetails.ToJson(done.Output)), terminal: true);
            return Task.FromResult(new ExecutionResult(ExecutionStatus.Succeeded, done.Output, null, null, recorder.Snapshot(), plan.RedriveCount));
        }

        return DriveAsync(definition, plan.Input, EventDetails.ToJson(plan.Input), options, recorder, plan.StartTime, plan.RedriveCount, redrivenId, plan.Root, cancellationToken);
    }

    private static async Task<ExecutionResult> DriveAsync(
        StateMachineDefinition definition, JsonNode? input, string executionInput, ExecutionOptions options, HistoryRecorder recorder,
        DateTimeOffset start, int redriveCount, long lastEventId, BlockResume? resume, CancellationToken cancellationToken)
    {
        using var timeout = definition.TimeoutSeconds is { } seconds
            ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds), options.TimeProvider)
            : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout?.Token ?? CancellationToken.None);
        var rt = new ExecutionRuntime(options, executionInput, start, redriveCount, linked.Token)
        {
            RedriveTime = redriveCount > 0 ? ExecutionRuntime.FormatTime(options.TimeProvider.GetUtcNow()) : null,
        };
        var frame = new Frame(recorder, lastEventId, new VariableScope(null));
        JsonNode? output;
        try
        {
            output = await new Interpreter(rt).RunBlockAsync(definition, input, frame, resume);
        }
        catch (StatesErrorException e)
        {
            return End(ExecutionStatus.Failed, "ExecutionFailed", "executionFailedEventDetails", e.Error, e.Cause);
        }
        catch (OperationCanceledException) when (timeout?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
        {
            return End(ExecutionStatus.TimedOut, "ExecutionTimedOut", "executionTimedOutEventDetails", StatesErrors.Timeout,
                $"The execution ran longer than the state machine's TimeoutSeconds ({definition.TimeoutSeconds!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return End(ExecutionStatus.Aborted, "ExecutionAborted", "executionAbortedEventDetails", null, null);
        }
        catch (HistoryLimitExceededException e)
        {
            return End(ExecutionStatus.Failed, "ExecutionFailed", "executionFailedEventDetails", StatesErrors.Runtime, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug in the interpreter must still end the execution with a recorded, named failure.
            return End(ExecutionStatus.Failed, "ExecutionFailed", "executionFailedEventDetails", StatesErrors.Runtime, InternalErrorPrefix + e.GetType().Name + ": " + e.Message);
        }

        recorder.Emit(frame.LastEventId, "ExecutionSucceeded", () => EventDetails.ExecutionSucceeded(EventDetails.ToJson(output)), terminal: true);
        return new ExecutionResult(ExecutionStatus.Succeeded, output, null, null, recorder.Snapshot(), redriveCount);

        ExecutionResult End(ExecutionStatus status, string type, string field, string? error, string? cause)
        {
            // A Fail state without Error/Cause leaves them out of the event and DescribeExecution, as AWS does.
            error = string.IsNullOrEmpty(error) ? null : error;
            cause = string.IsNullOrEmpty(cause) ? null : cause;
            recorder.Emit(frame.LastEventId, type, () => EventDetails.ErrorCause(field, error, cause), terminal: true);
            return new ExecutionResult(status, null, error, cause, recorder.Snapshot(), redriveCount);
        }
    }

    /// <summary>Cause prefix of failures that come from a defect in the interpreter rather than from the workflow.</summary>
    public const string InternalErrorPrefix = "Interpreter error: ";
}
