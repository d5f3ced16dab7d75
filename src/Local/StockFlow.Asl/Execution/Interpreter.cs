using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StockFlow.Asl.Expressions;
using StockFlow.Asl.History;
using StockFlow.Asl.Model;

namespace StockFlow.Asl.Execution;

/// <summary>Runs states of one execution: the I/O pipeline, Assign, Retry/Catch and the history they leave.</summary>
internal sealed partial class Interpreter(ExecutionRuntime rt)
{
    /// <summary>AWS's payload quota (256 KiB) for a state's input and output.</summary>
    public const int MaxPayloadBytes = 262_144;

    private const string RuntimeCausePrefix = "An error occurred while executing the state";

    public ExecutionRuntime Runtime => rt;

    /// <summary>Runs a block from StartAt (or a redrive point) to its end; a failure escapes as StatesErrorException.</summary>
    public async Task<JsonNode?> RunBlockAsync(StateMachineDefinition block, JsonNode? input, Frame frame, BlockResume? resume)
    {
        var current = block.StartAt;
        var stateInput = input;
        StateResume? nested = null;
        if (resume is not null)
        {
            current = resume.StateName;
            stateInput = resume.Input;
            nested = resume.Nested;
            foreach (var (k, v) in resume.Variables) frame.Variables.Set(k, v);
        }

        while (true)
        {
            rt.Token.ThrowIfCancellationRequested();
            if (!block.States.TryGetValue(current, out var state))
                throw new StatesErrorException(StatesErrors.Runtime, $"The state '{current}' does not exist in the definition.");
            var step = await RunStateAsync(state, stateInput, frame, nested);
            nested = null;
            if (step.Next is null) return step.Output;
            current = step.Next;
            stateInput = step.Output;
        }
    }

    public Task<StepResult> RunStateAsync(StateDefinition state, JsonNode? input, Frame frame, StateResume? nested) => state.Jsonata
        ? RunJsonataStateAsync(state, input, frame, nested)
        : state switch
    {
        PassStateDefinition p => Task.FromResult(RunPass(p, input, frame)),
        TaskStateDefinition t => RunTaskAsync(t, input, frame),
        ChoiceStateDefinition c => Task.FromResult(RunChoice(c, input, frame)),
        WaitStateDefinition w => RunWaitAsync(w, input, frame),
        SucceedStateDefinition s => Task.FromResult(RunSucceed(s, input, frame)),
        FailStateDefinition f => Task.FromResult(RunFail(f, input, frame)),
        MapStateDefinition m => RunMapAsync(m, input, frame, nested),
        ParallelStateDefinition p => RunParallelAsync(p, input, frame, nested),
        _ => throw new StatesErrorException(StatesErrors.Runtime, $"Unsupported state type '{state.Type}'."),
    };

    // ---- shared pipeline pieces ------------------------------------------------------------

    private long Enter(StateDefinition state, JsonNode? input, Frame frame, string eventType)
    {
        var json = EventDetails.ToJson(input);
        if (frame.Inspection is { } ins) ins.Input = json;
        return frame.Emit(eventType, () => EventDetails.StateEntered(state.Name, json));
    }

    private static StatesErrorException AtState(StatesErrorException e, StateDefinition state, long enteredId)
    {
        if (e.Cause.StartsWith(RuntimeCausePrefix, StringComparison.Ordinal)) return e;
        return new StatesErrorException(
            e.Error,
            $"{RuntimeCausePrefix} '{state.Name}' (entered at the event id #{enteredId.ToString(CultureInfo.InvariantCulture)}). {e.Cause}",
            e)
        {
            Location = e.Location,
            EvaluationCause = e.Location is null ? null : e.EvaluationCause ?? e.Cause,
            EvaluationRecorded = e.EvaluationRecorded,
        };
    }

    /// <summary>
    /// A JSONata expression of this state failed (States.QueryEvaluationError with the field): AWS records an
    /// EvaluationFailed event (error, cause, location, state) when it happens, before retries and catchers.
    /// </summary>
    private static void RecordEvaluationFailure(StateDefinition state, StatesErrorException e, Frame frame)
    {
        if (!state.Jsonata || e.Location is null || e.EvaluationRecorded) return;
        e.EvaluationRecorded = true;
        frame.Emit("EvaluationFailed", () => EventDetails.EvaluationFailed(e.Error, e.EvaluationCause ?? e.Cause, e.Location, state.Name));
    }

    /// <summary>Runs an expression step; its errors name the state and the event that entered it, as AWS's do.</summary>
    private static T Eval<T>(StateDefinition state, long enteredId, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (StatesErrorException e)
        {
            throw AtState(e, state, enteredId);
        }
        catch (FormatException e)
        {
            throw AtState(new StatesErrorException(StatesErrors.Runtime, e.Message, e), state, enteredId);
        }
    }

    private static PayloadScope Scope(JsonNode? input, JsonNode? context, Frame frame) => new(input, context, frame.Variables);

    private JsonNode? SelectInput(StateDefinition state, JsonNode? raw, JsonNode? context, Frame frame, long enteredId)
    {
        var value = state.InputPath.IsIdentity
            ? raw
            : Eval(state, enteredId, () => InputOutputPaths.Select(raw, state.InputPath.Path, state.InputPath.IsNull, Scope(raw, context, frame)));
        if (frame.Inspection is { } ins) ins.AfterInputPath = EventDetails.ToJson(value);
        return value;
    }

    private static JsonNode? Template(StateDefinition state, long enteredId, JsonNode template, PayloadScope scope) =>
        Eval(state, enteredId, () => CompiledTemplate.Evaluate(template, scope));

    private static JsonNode? ApplyResultPath(StateDefinition state, long enteredId, JsonNode? rawInput, PathField path, JsonNode? result, Frame frame)
    {
        JsonNode? value;
        if (path.IsIdentity) value = result;
        else if (path.IsNull) value = rawInput;
        else value = Eval(state, enteredId, () => ResultPaths.Apply(rawInput, path.Path, path.IsNull, result));
        if (frame.Inspection is { } ins) ins.AfterResultPath = EventDetails.ToJson(value);
        return value;
    }

    private static JsonNode? SelectOutput(StateDefinition state, long enteredId, JsonNode? value, JsonNode? context, Frame frame) =>
        state.OutputPath.IsIdentity
            ? value
            : Eval(state, enteredId, () => InputOutputPaths.Select(value, state.OutputPath.Path, state.OutputPath.IsNull, Scope(value, context, frame)));

    /// <summary>Evaluates an Assign block against the old variable values, then sets them all; returns what the exit event records.</summary>
    private static JsonObject? Assign(StateDefinition state, long enteredId, JsonObject? assign, JsonNode? value, JsonNode? context, Frame frame)
    {
        if (assign is null) return null;
        var evaluated = Template(state, enteredId, assign, Scope(value, context, frame)) as JsonObject
            ?? throw AtState(new StatesErrorException(StatesErrors.Runtime, "'Assign' must evaluate to an object."), state, enteredId);
        var recorded = new JsonObject();
        var pairs = evaluated.ToList();
        evaluated.Clear();
        foreach (var (name, v) in pairs)
        {
            frame.Variables.Set(name, v);
            recorded[name] = EventDetails.ToJson(v);
        }

        return recorded;
    }

    /// <summary>Checks the payload quota and records the exit event.</summary>
    private static JsonNode? Exit(StateDefinition state, long enteredId, JsonNode? output, JsonObject? assigned, Frame frame)
    {
        var json = EventDetails.ToJson(output);
        if (json.Length > MaxPayloadBytes / 4 && Encoding.UTF8.GetByteCount(json) > MaxPayloadBytes)
        {
            throw new StatesErrorException(
                StatesErrors.DataLimitExceeded,
                $"The state/task '{state.Name}' returned a result with a size exceeding the maximum number of bytes service limit.");
        }

        frame.Emit(state.Type + "StateExited", () => EventDetails.StateExited(state.Name, json, assigned));
        _ = enteredId;
        return output;
    }

    private JsonObject? ContextFor(StateDefinition state, DateTimeOffset enteredTime, int retryCount, bool force = false) =>
        force || state.UsesContext ? rt.Context(state, enteredTime, retryCount, null) : null;

    private static JsonNode? Detached(JsonNode? node) => node?.Parent is null ? node : node.DeepClone();

    // ---- Pass, Choice, Succeed, Fail ---------------------------------------------------------

    private StepResult RunPass(PassStateDefinition state, JsonNode? raw, Frame frame)
    {
        var entered = rt.Options.TimeProvider.GetUtcNow();
        var id = Enter(state, raw, frame, "PassStateEntered");
        var ctx = ContextFor(state, entered, 0);
        var effective = SelectInput(state, raw, ctx, frame, id);
        JsonNode? result;
        if (state.Parameters is not null)
        {
            result = Template(state, id, state.Parameters, Scope(effective, ctx, frame));
            if (frame.Inspection is { } ins) ins.AfterParameters = EventDetails.ToJson(result);
        }
        else if (state.HasResult)
        {
            result = state.Result?.DeepClone();
        }
        else
        {
            result = state.ResultPath.IsIdentity ? effective : effective?.DeepClone();
        }

        if (frame.Inspection is { } i2) i2.Result = EventDetails.ToJson(result);
        var assigned = Assign(state, id, state.Assign, result, ctx, frame);
        var output = ApplyResultPath(state, id, raw, state.ResultPath, result, frame);
        output = SelectOutput(state, id, output, ctx, frame);
        return new StepResult(Exit(state, id, output, assigned, frame), state.End ? null : state.Next);
    }

    private StepResult RunChoice(ChoiceStateDefinition state, JsonNode? raw, Frame frame)
    {
        var entered = rt.Options.TimeProvider.GetUtcNow();
        var id = Enter(state, raw, frame, "ChoiceStateEntered");
        var ctx = ContextFor(state, entered, 0);
        var effective = SelectInput(state, raw, ctx, frame, id);
        var scope = Scope(effective, ctx, frame);
        foreach (var rule in state.Choices)
        {
            if (!Eval(state, id, () => ChoiceRules.Matches(rule, scope))) continue;
            var assigned = Assign(state, id, state.Assign, effective, ctx, frame);
            if (rule["Assign"] is JsonObject ruleAssign)
            {
                var more = Assign(state, id, ruleAssign, effective, ctx, frame);
                if (more is not null)
                {
                    assigned ??= [];
                    foreach (var (k, v) in more.ToList())
                    {
                        more.Remove(k);
                        assigned[k] = v;
                    }
                }
            }

            var output = SelectOutput(state, id, effective, ctx, frame);
            return new StepResult(Exit(state, id, output, assigned, frame), rule["Next"]!.GetValue<string>());
        }

        if (state.Default is null)
        {
            throw AtState(new StatesErrorException(StatesErrors.NoChoiceMatched, "No Matches!"), state, id);
        }

        var defaultAssigned = Assign(state, id, state.Assign, effective, ctx, frame);
        var defaultOutput = SelectOutput(state, id, effective, ctx, frame);
        return new StepResult(Exit(state, id, defaultOutput, defaultAssigned, frame), state.Default);
    }

    private StepResult RunSucceed(SucceedStateDefinition state, JsonNode? raw, Frame frame)
    {
        var entered = rt.Options.TimeProvider.GetUtcNow();
        var id = Enter(state, raw, frame, "SucceedStateEntered");
        var ctx = ContextFor(state, entered, 0);
        var effective = SelectInput(state, raw, ctx, frame, id);
        var output = SelectOutput(state, id, effective, ctx, frame);
        return new StepResult(Exit(state, id, output, null, frame), null);
    }

    private StepResult RunFail(FailStateDefinition state, JsonNode? raw, Frame frame)
    {
        var entered = rt.Options.TimeProvider.GetUtcNow();
        var id = Enter(state, raw, frame, "FailStateEntered");
        var ctx = ContextFor(state, entered, 0, force: state.ErrorPath is not null || state.CausePath is not null);
        var scope = Scope(raw, ctx, frame);
        var error = state.Error ?? (state.ErrorPath is null ? string.Empty : Eval(state, id, () => DynamicString(state.ErrorPath, scope, "ErrorPath")));
        var cause = state.Cause ?? (state.CausePath is null ? string.Empty : Eval(state, id, () => DynamicString(state.CausePath, scope, "CausePath")));
        throw new StatesErrorException(error, cause);
    }

    /// <summary>A path or intrinsic that must give a string (Fail's ErrorPath/CausePath).</summary>
    private static string DynamicString(string expression, PayloadScope scope, string field)
    {
        JsonNode? value;
        if (IntrinsicFunctions.IsIntrinsic(expression))
        {
            value = IntrinsicFunctions.Evaluate(expression, scope);
        }
        else if (!JsonPath.Parse(expression).TryEvaluate(scope, out value))
        {
            throw PathNotFound(expression, field, scope);
        }

        if (value is JsonValue v && v.TryGetValue<string>(out var s)) return s;
        throw new StatesErrorException(StatesErrors.Runtime, $"The value of the field '{field}' must be a string, but was {EventDetails.ToJson(value)}.");
    }

    /// <summary>A path that must give a number (SecondsPath, TimeoutSecondsPath, MaxConcurrencyPath, ...).</summary>
    private static double PathNumber(string path, PayloadScope scope, string field)
    {
        if (!JsonPath.Parse(path).TryEvaluate(scope, out var value))
            throw PathNotFound(path, field, scope);
        if (value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number)
            return double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        throw new StatesErrorException(StatesErrors.Runtime, $"The value of the field '{field}' must be a number, but was {EventDetails.ToJson(value)}.");
    }

    /// <summary>AWS's wording: "The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the input '{...}'".</summary>
    private static StatesErrorException PathNotFound(string path, string field, PayloadScope scope) =>
        new(StatesErrors.Runtime, $"The JSONPath '{path}' specified for the field '{field}' could not be found in the input '{EventDetails.ToJson(scope.Input)}'");

    /// <summary>A path that must give a whole number from <paramref name="min"/> up (SecondsPath, ToleratedFailureCountPath, ...).</summary>
    private static long PathInteger(string path, PayloadScope scope, string field, long min)
    {
        var value = PathNumber(path, scope, field);
        if (value != Math.Floor(value) || value < min || value > int.MaxValue)
        {
            throw new StatesErrorException(
                StatesErrors.Runtime,
                $"The value of the field '{field}' must be an integer from {min.ToString(CultureInfo.InvariantCulture)} to {int.MaxValue.ToString(CultureInfo.InvariantCulture)}, but was {value.ToString(CultureInfo.InvariantCulture)}.");
        }

        return (long)value;
    }

    // ---- Wait ---------------------------------------------------------------------------------

    private async Task<StepResult> RunWaitAsync(WaitStateDefinition state, JsonNode? raw, Frame frame)
    {
        var entered = rt.Options.TimeProvider.GetUtcNow();
        var id = Enter(state, raw, frame, "WaitStateEntered");
        var ctx = ContextFor(state, entered, 0);
        var effective = SelectInput(state, raw, ctx, frame, id);
        var scope = Scope(effective, ctx, frame);
        var clock = rt.Options.TimeProvider;
        TimeSpan delay;
        if (state.Seconds is { } s)
        {
            delay = TimeSpan.FromSeconds(s);
        }
        else if (state.SecondsPath is { } sp)
        {
            delay = TimeSpan.FromSeconds(Eval(state, id, () => PathInteger(sp, scope, "SecondsPath", 0)));
        }
        else
        {
            var text = state.Timestamp ?? Eval(state, id, () => DynamicString(state.TimestampPath!, scope, "TimestampPath"));
            // As strict as AWS: 2016-03-14T01:59:00Z or with a numeric offset; no spaces, no lowercase t/z, no date alone.
            if (!Rfc3339Timestamp.TryParse(text, out var until))
                throw AtState(new StatesErrorException(StatesErrors.Runtime, $"The TimestampPath value '{text}' is not an RFC3339 timestamp."), state, id);
            delay = until - clock.GetUtcNow();
        }

        await DelayAsync(delay);
        var assigned = Assign(state, id, state.Assign, effective, ctx, frame);
        var output = SelectOutput(state, id, effective, ctx, frame);
        return new StepResult(Exit(state, id, output, assigned, frame), state.End ? null : state.Next);
    }

    /// <summary>Waits on the execution's clock, scaled by WaitScale (0 = no wait at all).</summary>
    private async Task DelayAsync(TimeSpan delay)
    {
        var scale = rt.Options.WaitScale;
        if (scale <= 0 || delay <= TimeSpan.Zero) return;
        var remaining = TimeSpan.FromTicks((long)Math.Min(delay.Ticks * scale, TimeSpan.MaxValue.Ticks / 2.0));
        // A timer runs at most ~49.7 days (uint milliseconds); a Wait of a year is several timers in a row.
        while (remaining > TimeSpan.Zero)
        {
            var step = remaining < MaxTimerStep ? remaining : MaxTimerStep;
            await Task.Delay(step, rt.Options.TimeProvider, rt.Token);
            remaining -= step;
        }
    }

    /// <summary>The longest single timer: 30 days, under the ~49.7-day limit of Task.Delay.</summary>
    private static readonly TimeSpan MaxTimerStep = TimeSpan.FromDays(30);
}
