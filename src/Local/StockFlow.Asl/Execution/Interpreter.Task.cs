using System.Globalization;
using System.Text.Json.Nodes;
using StockFlow.Asl.History;
using StockFlow.Asl.Model;

namespace StockFlow.Asl.Execution;

internal sealed partial class Interpreter
{
    /// <summary>The values one attempt of a Task/Map/Parallel state can read.</summary>
    private readonly record struct Attempt(long EnteredId, DateTimeOffset EnteredTime, int RetryCount)
    {
        /// <summary>JSONata states: what their expressions read during this attempt.</summary>
        public Expressions.JsonataScope? Query { get; init; }
    }

    /// <summary>Enter, run attempts under Retry, route failures through Catch, exit.</summary>
    private async Task<StepResult> RunWithRetryAndCatchAsync(
        ResultStateDefinition state, JsonNode? raw, Frame frame, Func<Attempt, Task<(JsonNode? Output, JsonObject? Assigned)>> attempt)
    {
        var entered = rt.Options.TimeProvider.GetUtcNow();
        var id = Enter(state, raw, frame, state.Type + "StateEntered");
        var perRetrier = new int[state.Retry.Count];
        var retryCount = 0;
        while (true)
        {
            try
            {
                var (output, assigned) = await attempt(new Attempt(id, entered, retryCount));
                return new StepResult(Exit(state, id, output, assigned, frame), state.End ? null : state.Next);
            }
            catch (StatesErrorException e)
            {
                RecordEvaluationFailure(state, e, frame);
                var r = FindRetrier(state.Retry, e.Error);
                if (r >= 0 && perRetrier[r] < state.Retry[r].MaxAttempts)
                {
                    if (rt.StopAtRetry) throw new RetriableSignal(e);
                    perRetrier[r]++;
                    retryCount++;
                    var delay = state.Retry[r].DelayBefore(perRetrier[r]);
                    if (state.Retry[r].FullJitter) delay = TimeSpan.FromTicks((long)(delay.Ticks * rt.Random.NextDouble()));
                    await DelayAsync(delay);
                    continue;
                }

                var catcherIndex = FindCatcher(state.Catch, e.Error);
                if (catcherIndex < 0) throw;
                return state.Jsonata
                    ? CaughtJsonata(state, id, entered, retryCount, raw, catcherIndex, e, frame)
                    : Caught(state, id, entered, retryCount, raw, state.Catch[catcherIndex], e, frame);
            }
        }
    }

    private static int FindCatcher(IReadOnlyList<Catcher> catchers, string error)
    {
        for (var i = 0; i < catchers.Count; i++)
        {
            if (ErrorMatching.Matches(catchers[i].ErrorEquals, error)) return i;
        }

        return -1;
    }

    private static int FindRetrier(IReadOnlyList<Retrier> retriers, string error)
    {
        for (var i = 0; i < retriers.Count; i++)
        {
            if (ErrorMatching.Matches(retriers[i].ErrorEquals, error)) return i;
        }

        return -1;
    }

    private StepResult Caught(ResultStateDefinition state, long id, DateTimeOffset entered, int retryCount, JsonNode? raw, Catcher catcher, StatesErrorException e, Frame frame)
    {
        var errorOutput = new JsonObject { ["Error"] = e.Error };
        if (e.Cause.Length > 0) errorOutput["Cause"] = e.Cause;
        var ctx = ContextFor(state, entered, retryCount);
        var assigned = Assign(state, id, catcher.Assign, errorOutput, ctx, frame);
        var output = ApplyResultPath(state, id, raw, catcher.ResultPath, errorOutput, frame);
        frame.CaughtBy = catcher;
        frame.CaughtError = e;
        return new StepResult(Exit(state, id, output, assigned, frame), catcher.Next);
    }

    private Task<StepResult> RunTaskAsync(TaskStateDefinition state, JsonNode? raw, Frame frame) =>
        RunWithRetryAndCatchAsync(state, raw, frame, async a =>
        {
            var ctx = rt.Context(state, a.EnteredTime, a.RetryCount, null, withInput: state.UsesContext);
            if (state.Resource.EndsWith(".waitForTaskToken", StringComparison.Ordinal))
                ctx["Task"] = new JsonObject { ["Token"] = Guid.NewGuid().ToString("N") };
            var effective = SelectInput(state, raw, ctx, frame, a.EnteredId);
            var scope = Scope(effective, ctx, frame);
            var parameters = state.Parameters is null ? effective : Template(state, a.EnteredId, state.Parameters, scope);
            if (frame.Inspection is { } ins) ins.AfterParameters = EventDetails.ToJson(parameters);
            var timeout = state.TimeoutSeconds
                ?? (state.TimeoutSecondsPath is { } tp ? (int?)Eval(state, a.EnteredId, () => PositiveSeconds(tp, scope, "TimeoutSecondsPath")) : null);
            var heartbeat = state.HeartbeatSeconds
                ?? (state.HeartbeatSecondsPath is { } hp ? (int?)Eval(state, a.EnteredId, () => PositiveSeconds(hp, scope, "HeartbeatSecondsPath")) : null);

            var result = await ScheduleAndInvokeAsync(state, parameters, ctx, timeout, heartbeat, frame);
            var selected = state.ResultSelector is null ? result : Template(state, a.EnteredId, state.ResultSelector, Scope(result, ctx, frame));
            if (frame.Inspection is { } i3) i3.AfterResultSelector = EventDetails.ToJson(selected);
            var assigned = Assign(state, a.EnteredId, state.Assign, selected, ctx, frame);
            var output = ApplyResultPath(state, a.EnteredId, raw, state.ResultPath, Detached(selected), frame);
            return (SelectOutput(state, a.EnteredId, output, ctx, frame), assigned);
        });

    /// <summary>Records TaskScheduled/Started, calls the binding, and records how it ended.</summary>
    private async Task<JsonNode?> ScheduleAndInvokeAsync(TaskStateDefinition state, JsonNode? parameters, JsonObject ctx, int? timeout, int? heartbeat, Frame frame)
    {
        var parametersJson = EventDetails.ToJson(parameters);
        frame.Emit("TaskScheduled", () => EventDetails.TaskScheduled(state, state.Region ?? rt.Options.Region, parametersJson, timeout, heartbeat));
        frame.Emit("TaskStarted", () => EventDetails.TaskStarted(state));
        JsonNode? result;
        try
        {
            result = await InvokeAsync(state, Detached(parameters), ctx, timeout, heartbeat);
        }
        catch (StatesErrorException e)
        {
            var timedOut = e.Error is StatesErrors.Timeout or StatesErrors.HeartbeatTimeout && e.InnerException is TimeoutException;
            frame.Emit(
                timedOut ? "TaskTimedOut" : "TaskFailed",
                () => EventDetails.TaskError(timedOut ? "taskTimedOutEventDetails" : "taskFailedEventDetails", state, e.Error, e.Cause));
            throw;
        }

        var resultJson = EventDetails.ToJson(result);
        frame.Emit("TaskSucceeded", () => EventDetails.TaskSucceeded(state, resultJson));
        if (frame.Inspection is { } ins) ins.Result = resultJson;
        return result;
    }

    private static int PositiveSeconds(string path, Expressions.PayloadScope scope, string field)
    {
        var value = PathNumber(path, scope, field);
        if (value < 1 || value != Math.Floor(value) || value > int.MaxValue)
            throw new StatesErrorException(StatesErrors.Runtime, $"The value of the field '{field}' must be a positive integer, but was {value.ToString(CultureInfo.InvariantCulture)}.");
        return (int)value;
    }

    /// <summary>Calls the task binding with the state's timeout; anything but a StatesErrorException becomes States.TaskFailed.</summary>
    private async Task<JsonNode?> InvokeAsync(TaskStateDefinition state, JsonNode? parameters, JsonObject context, int? timeout, int? heartbeat)
    {
        var invoker = rt.Options.TaskInvoker
            ?? throw new StatesErrorException(StatesErrors.Runtime, $"No task invoker is configured, so the resource '{state.Resource}' cannot run.");
        using var callCts = CancellationTokenSource.CreateLinkedTokenSource(rt.Token);
        Task<JsonNode?> call;
        try
        {
            call = invoker.InvokeAsync(new TaskInvocation(state.Name, state.Resource, parameters, context), callCts.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            call = Task.FromException<JsonNode?>(e);
        }

        int? limit = (timeout, heartbeat) switch
        {
            (null, null) => null,
            ({ } t, null) => t,
            (null, { } h) => h,
            ({ } t, { } h) => Math.Min(t, h),
        };
        if (limit is null) return await Guard(call);

        using var timerCts = CancellationTokenSource.CreateLinkedTokenSource(rt.Token);
        var timer = Task.Delay(TimeSpan.FromSeconds(limit.Value), rt.Options.TimeProvider, timerCts.Token);
        var first = await Task.WhenAny(call, timer);
        rt.Token.ThrowIfCancellationRequested();
        if (first == timer)
        {
            await callCts.CancelAsync();
            _ = call.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            var isHeartbeat = heartbeat is not null && limit == heartbeat && (timeout is null || heartbeat < timeout);
            throw new StatesErrorException(
                isHeartbeat ? StatesErrors.HeartbeatTimeout : StatesErrors.Timeout,
                isHeartbeat
                    ? $"The task sent no heartbeat within {limit.Value.ToString(CultureInfo.InvariantCulture)} seconds."
                    : $"The task did not finish within {limit.Value.ToString(CultureInfo.InvariantCulture)} seconds.",
                new TimeoutException());
        }

        await timerCts.CancelAsync();
        return await Guard(call);
    }

    private async Task<JsonNode?> Guard(Task<JsonNode?> call)
    {
        try
        {
            return Detached(await call);
        }
        catch (StatesErrorException)
        {
            throw;
        }
        catch (OperationCanceledException) when (rt.Token.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new StatesErrorException(StatesErrors.TaskFailed, e.Message, e);
        }
    }
}
