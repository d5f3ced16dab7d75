using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Asl.Distributed;
using StockFlow.Asl.Expressions;
using StockFlow.Asl.History;
using StockFlow.Asl.Model;

namespace StockFlow.Asl.Execution;

/// <summary>
/// States with "QueryLanguage": "JSONata": no paths; Arguments, Output, Assign, Condition, Items, ItemSelector and the
/// numeric fields are {% %} expressions reading $states (input, result, errorOutput, context) and the variables.
/// Output and Assign of one state both see the variables as they were when the state started.
/// </summary>
internal sealed partial class Interpreter
{
    private async Task<StepResult> RunJsonataStateAsync(StateDefinition state, JsonNode? input, Frame frame, StateResume? nested)
    {
        try
        {
            return state switch
            {
                PassStateDefinition p => RunPassJsonata(p, input, frame),
                TaskStateDefinition t => await RunTaskJsonataAsync(t, input, frame),
                ChoiceStateDefinition c => RunChoiceJsonata(c, input, frame),
                WaitStateDefinition w => await RunWaitJsonataAsync(w, input, frame),
                SucceedStateDefinition s => RunSucceedJsonata(s, input, frame),
                FailStateDefinition f => RunFailJsonata(f, input, frame),
                MapStateDefinition m => await RunMapJsonataAsync(m, input, frame, nested),
                ParallelStateDefinition p => await RunParallelJsonataAsync(p, input, frame, nested),
                _ => throw new StatesErrorException(StatesErrors.Runtime, $"Unsupported state type '{state.Type}'."),
            };
        }
        catch (StatesErrorException e)
        {
            // States without Retry/Catch (Pass, Choice, Wait, Succeed, Fail) record a failed expression here.
            RecordEvaluationFailure(state, e, frame);
            throw;
        }
    }

    /// <summary>A States.QueryEvaluationError about one field (its EvaluationFailed event's location).</summary>
    private static StatesErrorException QueryError(string field, string cause) =>
        new(StatesErrors.QueryEvaluationError, cause) { Location = field };

    /// <summary>
    /// AWS's wording for an expression whose value has the wrong type: "... returned an unexpected result type.
    /// Expected 'array', but was 'string' for value: "abc"".
    /// </summary>
    private static StatesErrorException UnexpectedType(string expression, string field, string expected, JsonNode? value) =>
        QueryError(field, $"The JSONata expression '{expression}' specified for the field '{field}' returned an unexpected result type. Expected '{expected}', but was '{JsonataTypeName(value)}' for value: {EventDetails.ToJson(value)}");

    /// <summary>A value's type as JSONata's $type names it.</summary>
    private static string JsonataTypeName(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private JsonataScope QueryScope(StateDefinition state, JsonNode? input, Frame frame, DateTimeOffset entered, int retryCount) =>
        new(input, frame.Variables, state.UsesContext ? () => rt.Context(state, entered, retryCount, null) : null);

    private static JsonNode? Query(StateDefinition state, long id, JsonNode? template, JsonataScope scope, string field) =>
        Eval(state, id, () => JsonataQuery.EvaluateTemplate(template, scope, field));

    /// <summary>Evaluates Assign blocks against the current variables; <see cref="Commit"/> sets them afterwards.</summary>
    private static List<KeyValuePair<string, JsonNode?>>? EvaluateAssign(
        StateDefinition state, long id, JsonataScope scope, List<KeyValuePair<string, JsonNode?>>? into, JsonObject? assign, string field)
    {
        if (assign is null) return into;
        into ??= [];
        foreach (var (name, value) in assign)
            into.Add(KeyValuePair.Create(name, Query(state, id, value, scope, field + "/" + name)));
        return into;
    }

    private static JsonObject? Commit(List<KeyValuePair<string, JsonNode?>>? values, Frame frame)
    {
        if (values is null) return null;
        var recorded = new JsonObject();
        foreach (var (name, value) in values)
        {
            frame.Variables.Set(name, value);
            recorded[name] = EventDetails.ToJson(value);
        }

        return recorded;
    }

    /// <summary>A numeric field written as an expression: it must give an integer in range.</summary>
    private static long QueryInteger(StateDefinition state, long id, string expression, JsonataScope scope, string field, long min, long max)
    {
        var value = Eval(state, id, () => JsonataQuery.Evaluate(expression, scope, field));
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && d == Math.Floor(d) && d >= min && d <= max)
        {
            return (long)d;
        }

        if (value is not JsonValue number || number.GetValueKind() != JsonValueKind.Number)
            throw AtState(UnexpectedType(expression, field, "number", value), state, id);
        throw AtState(
            QueryError(field, $"The JSONata expression '{expression}' specified for the field '{field}' returned an unexpected value {EventDetails.ToJson(value)}: an integer from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} is expected."),
            state,
            id);
    }

    private static double QueryNumber(StateDefinition state, long id, string expression, JsonataScope scope, string field, double min, double max)
    {
        var value = Eval(state, id, () => JsonataQuery.Evaluate(expression, scope, field));
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= min && d <= max)
        {
            return d;
        }

        if (value is not JsonValue number || number.GetValueKind() != JsonValueKind.Number)
            throw AtState(UnexpectedType(expression, field, "number", value), state, id);
        throw AtState(
            QueryError(field, $"The JSONata expression '{expression}' specified for the field '{field}' returned an unexpected value {EventDetails.ToJson(value)}: a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} is expected."),
            state,
            id);
    }

    private static string QueryString(StateDefinition state, long id, string text, JsonataScope scope, string field)
    {
        if (!JsonataQuery.IsExpression(text)) return text;
        var expression = JsonataQuery.Inner(text);
        var value = Eval(state, id, () => JsonataQuery.Evaluate(expression, scope, field));
        if (value is JsonValue v && v.TryGetValue<string>(out var s)) return s;
        throw AtState(UnexpectedType(expression, field, "string", value), state, id);
    }

    // ---- Pass, Choice, Wait, Succeed, Fail ----------------------------------------------------

    private StepResult RunPassJsonata(PassStateDefinition state, JsonNode? raw, Frame frame)
    {
        var entered = rt.Options.TimeProvider.GetUtcNow();
        var id = Enter(state, raw, frame, "PassStateEntered");
        var scope = QueryScope(state, raw, frame, entered, 0);
        var assign = EvaluateAssign(state, id, scope, null, state.Assign, "Assign");
        var output = state.HasOutput ? Query(state, id, state.Output, scope, "Output") : raw;
        if (frame.Inspection is { } ins) ins.Result = EventDetails.ToJson(output);
        return new StepResult(Exit(state, id, output, Commit(assign, frame), frame), state.End ? null : state.Next);
    }

    private StepResult RunChoiceJsonata(ChoiceStateDefinition state, JsonNode? raw, Frame frame)
    {
        var entered = rt.Options.TimeProvider.GetUtcNow();
        var id = Enter(state, raw, frame, "ChoiceStateEntered");
        var scope = QueryScope(state, raw, frame, entered, 0);
        for (var i = 0; i < state.Choices.Count; i++)
        {
            var rule = state.Choices[i];
            var at = "Choices[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            if (!Condition(state, id, rule["Condition"], scope, at + "/Condition")) continue;
            var assign = EvaluateAssign(state, id, scope, null, state.Assign, "Assign");
            assign = EvaluateAssign(state, id, scope, assign, rule["Assign"] as JsonObject, at + "/Assign");
            var output = rule.ContainsKey("Output") ? Query(state, id, rule["Output"], scope, at + "/Output")
                : state.HasOutput ? Query(state, id, state.Output, scope, "Output")
                : raw;
            return new StepResult(Exit(state, id, output, Commit(assign, frame), frame), rule["Next"]!.GetValue<string>());
        }

        if (state.Default is null)
            throw AtState(new StatesErrorException(StatesErrors.NoChoiceMatched, "No Matches!"), state, id);
        var defaultAssign = EvaluateAssign(state, id, scope, null, state.Assign, "Assign");
        var defaultOutput = state.HasOutput ? Query(state, id, state.Output, scope, "Output") : raw;
        return new StepResult(Exit(state, id, defaultOutput, Commit(defaultAssign, frame), frame), state.Default);
    }

    /// <summary>A Choice rule's Condition: a {% %} expression (or a literal) that must give a boolean.</summary>
    private static bool Condition(StateDefinition state, long id, JsonNode? condition, JsonataScope scope, string field)
    {
        if (condition is JsonValue literal && literal.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            return literal.GetValueKind() == JsonValueKind.True;
        if (!JsonataQuery.IsExpression(condition, out var expression))
        {
            throw AtState(
                QueryError(field, $"The field '{field}' must be a JSONata expression or a boolean, but was {EventDetails.ToJson(condition)}."),
                state,
                id);
        }

        var value = Eval(state, id, () => JsonataQuery.Evaluate(expression, scope, field));
        if (value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            return v.GetValueKind() == JsonValueKind.True;
        throw AtState(UnexpectedType(expression, field, "boolean", value), state, id);
    }

    private async Task<StepResult> RunWaitJsonataAsync(WaitStateDefinition state, JsonNode? raw, Frame frame)
    {
        var entered = rt.Options.TimeProvider.GetUtcNow();
        var id = Enter(state, raw, frame, "WaitStateEntered");
        var scope = QueryScope(state, raw, frame, entered, 0);
        TimeSpan delay;
        if (state.SecondsExpression is { } se)
        {
            delay = TimeSpan.FromSeconds(QueryInteger(state, id, se, scope, "Seconds", 0, 99_999_999));
        }
        else if (state.Seconds is { } s)
        {
            delay = TimeSpan.FromSeconds(s);
        }
        else
        {
            var text = state.TimestampExpression is { } te ? QueryString(state, id, "{%" + te + "%}", scope, "Timestamp") : state.Timestamp!;
            if (!Rfc3339Timestamp.TryParse(text, out var until))
            {
                throw AtState(
                    QueryError("Timestamp", $"The JSONata expression '{state.TimestampExpression}' specified for the field 'Timestamp' returned an unexpected value \"{text}\": an RFC3339 timestamp is expected."),
                    state,
                    id);
            }

            delay = until - rt.Options.TimeProvider.GetUtcNow();
        }

        await DelayAsync(delay);
        var assign = EvaluateAssign(state, id, scope, null, state.Assign, "Assign");
        var output = state.HasOutput ? Query(state, id, state.Output, scope, "Output") : raw;
        return new StepResult(Exit(state, id, output, Commit(assign, frame), frame), state.End ? null : state.Next);
    }

    private StepResult RunSucceedJsonata(SucceedStateDefinition state, JsonNode? raw, Frame frame)
    {
        var entered = rt.Options.TimeProvider.GetUtcNow();
        var id = Enter(state, raw, frame, "SucceedStateEntered");
        var scope = QueryScope(state, raw, frame, entered, 0);
        var output = state.HasOutput ? Query(state, id, state.Output, scope, "Output") : raw;
        return new StepResult(Exit(state, id, output, null, frame), null);
    }

    private StepResult RunFailJsonata(FailStateDefinition state, JsonNode? raw, Frame frame)
    {
        var entered = rt.Options.TimeProvider.GetUtcNow();
        var id = Enter(state, raw, frame, "FailStateEntered");
        var scope = QueryScope(state, raw, frame, entered, 0);
        var error = state.Error is null ? string.Empty : QueryString(state, id, state.Error, scope, "Error");
        var cause = state.Cause is null ? string.Empty : QueryString(state, id, state.Cause, scope, "Cause");
        throw new StatesErrorException(error, cause);
    }

    // ---- Task, Map, Parallel ----------------------------------------------------------------

    private Task<StepResult> RunTaskJsonataAsync(TaskStateDefinition state, JsonNode? raw, Frame frame) =>
        RunWithRetryAndCatchAsync(state, raw, frame, async a =>
        {
            var ctx = rt.Context(state, a.EnteredTime, a.RetryCount, null, withInput: state.UsesContext);
            if (state.Resource.EndsWith(".waitForTaskToken", StringComparison.Ordinal))
                ctx["Task"] = new JsonObject { ["Token"] = Guid.NewGuid().ToString("N") };
            var scope = new JsonataScope(raw, frame.Variables, () => ctx);
            var arguments = state.Arguments is null ? raw : Query(state, a.EnteredId, state.Arguments, scope, "Arguments");
            if (frame.Inspection is { } ins) ins.AfterParameters = EventDetails.ToJson(arguments);
            var timeout = state.TimeoutSeconds
                ?? (state.TimeoutSecondsExpression is { } te ? (int?)QueryInteger(state, a.EnteredId, te, scope, "TimeoutSeconds", 1, 99_999_999) : null);
            var heartbeat = state.HeartbeatSeconds
                ?? (state.HeartbeatSecondsExpression is { } he ? (int?)QueryInteger(state, a.EnteredId, he, scope, "HeartbeatSeconds", 1, 99_999_999) : null);
            var result = await ScheduleAndInvokeAsync(state, arguments, ctx, timeout, heartbeat, frame);
            return FinishJsonata(state, a.EnteredId, scope.WithResult(result), result, frame);
        });

    /// <summary>Assign and Output of a Task/Map/Parallel after its work succeeded; Output defaults to the result.</summary>
    private static (JsonNode? Output, JsonObject? Assigned) FinishJsonata(ResultStateDefinition state, long id, JsonataScope scope, JsonNode? result, Frame frame)
    {
        var assign = EvaluateAssign(state, id, scope, null, state.Assign, "Assign");
        var output = state.HasOutput ? Query(state, id, state.Output, scope, "Output") : Detached(result);
        return (output, Commit(assign, frame));
    }

    /// <summary>A Catch of a JSONata state: its Output (default: the error output) and Assign read $states.errorOutput.</summary>
    private StepResult CaughtJsonata(ResultStateDefinition state, long id, DateTimeOffset entered, int retryCount, JsonNode? raw, int index, StatesErrorException e, Frame frame)
    {
        var catcher = state.Catch[index];
        var errorOutput = new JsonObject { ["Error"] = e.Error };
        if (e.Cause.Length > 0) errorOutput["Cause"] = e.Cause;
        var scope = new JsonataScope(raw, frame.Variables, state.UsesContext ? () => rt.Context(state, entered, retryCount, null) : null)
        {
            ErrorOutput = errorOutput,
            HasErrorOutput = true,
        };
        var at = "Catch[" + index.ToString(CultureInfo.InvariantCulture) + "]";
        var assign = EvaluateAssign(state, id, scope, null, catcher.Assign, at + "/Assign");
        var output = catcher.HasOutput ? Query(state, id, catcher.Output, scope, at + "/Output") : errorOutput;
        frame.CaughtBy = catcher;
        frame.CaughtError = e;
        return new StepResult(Exit(state, id, output, Commit(assign, frame), frame), catcher.Next);
    }

    private Task<StepResult> RunMapJsonataAsync(MapStateDefinition state, JsonNode? raw, Frame frame, StateResume? nested)
    {
        var resume = nested;
        return RunWithRetryAndCatchAsync(state, raw, frame, async a =>
        {
            var attemptResume = resume;
            resume = null;
            JsonTree.Materialize(raw);
            var scope = QueryScope(state, raw, frame, a.EnteredTime, a.RetryCount);
            var fromReader = state.ItemReader is not null && state.Mode == MapMode.Distributed;
            var items = fromReader ? await ReadItemsJsonataAsync(state, a.EnteredId, scope) : JsonataItems(state, a.EnteredId, raw, scope);
            // Items evaluated from an expression, read from the store or made from an object's pairs are fresh and can be moved; the input's own are copied.
            var owned = state.Items is not null || fromReader || items.Keys is not null;
            var values = items.Items.ToList();
            if (owned) items.Items.Clear();
            var inputs = new List<JsonNode?>(values.Count);
            for (var i = 0; i < values.Count; i++)
            {
                if (state.ItemSelector is null)
                {
                    inputs.Add(owned ? values[i] : values[i]?.DeepClone());
                    continue;
                }

                var index = i;
                var itemScope = scope.WithContext(() => rt.Context(state, a.EnteredTime, a.RetryCount, MapItemContext(items, index, values[index])));
                inputs.Add(Query(state, a.EnteredId, state.ItemSelector, itemScope, "ItemSelector"));
            }

            var payloadScope = Scope(raw, null, frame);
            if (state.ItemBatcher is { } batcher && state.Mode == MapMode.Distributed)
                inputs = BatchJsonata(state, batcher, a.EnteredId, inputs, scope);
            var requested = state.MaxConcurrencyExpression is { } mc
                ? (int)QueryInteger(state, a.EnteredId, mc, scope, "MaxConcurrency", 0, int.MaxValue)
                : state.MaxConcurrency;
            var cap = Math.Max(1, rt.Options.MaxConcurrency);
            var concurrency = (requested == 0 ? cap : Math.Min(requested, cap), requested);
            var result = state.Mode == MapMode.Distributed
                ? await RunDistributedAsync(state, a with { Query = scope }, inputs, concurrency, frame, payloadScope, attemptResume)
                : await RunInlineAsync(state, inputs, concurrency.Item1, frame, attemptResume);
            return FinishJsonata(state, a.EnteredId, scope.WithResult(result), result, frame);
        });
    }

    /// <summary>ItemReader of a JSONata Distributed Map: Arguments and ReaderConfig.MaxItems are evaluated first.</summary>
    private async Task<MapItems> ReadItemsJsonataAsync(MapStateDefinition state, long id, JsonataScope scope)
    {
        var reader = state.ItemReader!;
        var arguments = reader.Arguments is null ? null : Query(state, id, reader.Arguments, scope, "ItemReader/Arguments");
        var maxItems = reader.MaxItems
            ?? (reader.MaxItemsExpression is { } me ? (int?)QueryInteger(state, id, me, scope, "ItemReader/ReaderConfig/MaxItems", 0, 100_000_000) : null);
        var runner = new ItemReaderRunner(rt, state);
        return new MapItems(await runner.ReadJsonataAsync(arguments, maxItems), null, runner.Source);
    }

    /// <summary>ItemBatcher of a JSONata Distributed Map: the limits may be expressions, BatchInput a JSONata template.</summary>
    private static List<JsonNode?> BatchJsonata(MapStateDefinition state, ItemBatcherDefinition batcher, long id, List<JsonNode?> inputs, JsonataScope scope)
    {
        var maxItems = batcher.MaxItemsPerBatch
            ?? (batcher.MaxItemsPerBatchExpression is { } mi ? (int?)QueryInteger(state, id, mi, scope, "ItemBatcher/MaxItemsPerBatch", 1, int.MaxValue) : null);
        var maxBytes = batcher.MaxInputBytesPerBatch
            ?? (batcher.MaxInputBytesPerBatchExpression is { } mb ? (int?)QueryInteger(state, id, mb, scope, "ItemBatcher/MaxInputBytesPerBatch", 1, int.MaxValue) : null);
        var batchInput = batcher.BatchInput is null ? null : Query(state, id, batcher.BatchInput, scope, "ItemBatcher/BatchInput");
        return ItemBatching.Batch(inputs, maxItems, maxBytes, batchInput);
    }

    /// <summary>Items: absent means the input; a literal array, or an expression that must give an array or an object (its pairs).</summary>
    private static MapItems JsonataItems(MapStateDefinition state, long id, JsonNode? raw, JsonataScope scope)
    {
        var source = state.Mode == MapMode.Distributed ? "STATE_DATA" : null;
        if (state.Items is null)
        {
            return raw switch
            {
                JsonArray array => new MapItems(array, null, source),
                JsonObject obj => Pairs((JsonObject)obj.DeepClone(), source),
                _ => throw AtState(
                    QueryError("Items", $"The Map state input must be an array or an object when 'Items' is not given, but was {EventDetails.ToJson(raw)}."),
                    state,
                    id),
            };
        }

        var value = Query(state, id, state.Items, scope, "Items");
        if (value is JsonArray array2) return new MapItems(array2, null, source);
        if (value is JsonObject pairs) return Pairs(pairs, source);
        var expression = JsonataQuery.IsExpression(state.Items, out var e) ? e : EventDetails.ToJson(state.Items);
        throw AtState(UnexpectedType(expression, "Items", "array", value), state, id);
    }

    /// <summary>ToleratedFailureCount/Percentage of a JSONata Distributed Map (literals or expressions).</summary>
    private static (int? Count, double? Percent) JsonataTolerance(MapStateDefinition state, Attempt a)
    {
        var scope = a.Query!;
        int? count = state.ToleratedFailureCount
            ?? (state.ToleratedFailureCountExpression is { } ce ? (int)QueryInteger(state, a.EnteredId, ce, scope, "ToleratedFailureCount", 0, int.MaxValue) : null);
        var percent = state.ToleratedFailurePercentage
            ?? (state.ToleratedFailurePercentageExpression is { } pe ? QueryNumber(state, a.EnteredId, pe, scope, "ToleratedFailurePercentage", 0, 100) : null);
        return (count, percent);
    }

    private Task<StepResult> RunParallelJsonataAsync(ParallelStateDefinition state, JsonNode? raw, Frame frame, StateResume? nested)
    {
        var resume = nested;
        return RunWithRetryAndCatchAsync(state, raw, frame, async a =>
        {
            var scope = QueryScope(state, raw, frame, a.EnteredTime, a.RetryCount);
            var branchInput = state.Arguments is null ? raw : Query(state, a.EnteredId, state.Arguments, scope, "Arguments");
            if (frame.Inspection is { } ins) ins.AfterParameters = EventDetails.ToJson(branchInput);
            JsonTree.Materialize(branchInput);
            var attemptResume = resume;
            resume = null;
            var result = await RunBranchesAsync(state, branchInput, frame, attemptResume);
            return FinishJsonata(state, a.EnteredId, scope.WithResult(result), result, frame);
        });
    }
}
