using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Asl.Expressions;

namespace StockFlow.Asl.Validation;

/// <summary>Checks one state's fields for its type; nested machines (Parallel branches, Map processors) go back to <see cref="MachineValidator"/>.</summary>
internal sealed class StateValidator(Problems problems, MachineValidator machines)
{
    private const string AllErrors = "States.ALL";

    public void Validate(string name, JsonObject state, string pointer, IReadOnlySet<string> stateNames, bool machineJsonata)
    {
        if (name.Length > 80)
            problems.Add(pointer, $"State name '{name}' is longer than 80 characters");

        if (!problems.IsString(state, "Type", pointer, required: true))
            return;
        var type = state["Type"]!.GetValue<string>();
        if (!StateFields.ByType.TryGetValue(type, out var allowed))
        {
            problems.Add(Problems.Child(pointer, "Type"), $"Unknown state type '{type}'; expected one of {string.Join(", ", StateFields.ByType.Keys)}");
            return;
        }

        if (MachineValidator.CheckQueryLanguage(problems, state, pointer, machineJsonata, machineJsonata))
        {
            ValidateJsonata(type, state, pointer, stateNames, machineJsonata);
            return;
        }

        problems.RejectUnknownFields(state, pointer, allowed, $"a {type} state");
        CheckTransition(type, state, pointer, stateNames);

        problems.Path(state, "InputPath", pointer, reference: false, nullable: true);
        problems.Path(state, "OutputPath", pointer, reference: false, nullable: true);
        problems.Path(state, "ResultPath", pointer, reference: true, nullable: true);
        foreach (var template in new[] { "Parameters", "ResultSelector", "ItemSelector", "Assign", "Credentials" })
        {
            if (state.TryGetPropertyValue(template, out var value))
            {
                if (value is not JsonObject)
                    problems.Add(Problems.Child(pointer, template), $"'{template}' must be an object but is {JsonValues.TypeName(value)}");
                else
                    problems.Template(value, Problems.Child(pointer, template));
            }
        }

        CheckRetry(state, pointer);
        CheckCatch(state, pointer, stateNames, jsonata: false);

        switch (type)
        {
            case "Task":
                CheckTask(state, pointer);
                break;
            case "Choice":
                CheckChoice(state, pointer, stateNames);
                break;
            case "Wait":
                CheckWait(state, pointer);
                break;
            case "Fail":
                CheckFail(state, pointer);
                break;
            case "Parallel":
                CheckParallel(state, pointer, machineJsonata);
                break;
            case "Map":
                CheckMap(state, pointer, machineJsonata);
                break;
        }
    }

    /// <summary>A JSONata state: its own field set, every {% %} expression parsed, numbers or expressions where AWS takes either.</summary>
    private void ValidateJsonata(string type, JsonObject state, string pointer, IReadOnlySet<string> stateNames, bool machineJsonata)
    {
        problems.RejectUnknownJsonataFields(state, pointer, StateFields.JsonataByType[type], $"a {type} state");
        CheckTransition(type, state, pointer, stateNames);
        foreach (var field in new[] { "Arguments", "Output", "ItemSelector", "Items" })
        {
            if (state.TryGetPropertyValue(field, out var value))
                problems.JsonataTemplate(value, Problems.Child(pointer, field));
        }

        foreach (var field in new[] { "Assign", "Credentials" })
        {
            if (!state.TryGetPropertyValue(field, out var value))
                continue;
            if (value is JsonObject)
                problems.JsonataTemplate(value, Problems.Child(pointer, field));
            else
                problems.Add(Problems.Child(pointer, field), $"'{field}' must be an object but is {JsonValues.TypeName(value)}");
        }

        if (state.TryGetPropertyValue("Items", out var items) && !(items is JsonArray || (JsonValues.TryGetString(items, out var itemsText) && JsonataQuery.IsExpression(itemsText))))
            problems.Add(Problems.Child(pointer, "Items"), $"'Items' must be an array or a {{% ... %}} expression but is {JsonValues.ToJson(items)}");

        CheckRetry(state, pointer);
        CheckCatch(state, pointer, stateNames, jsonata: true);
        switch (type)
        {
            case "Task":
                problems.IsString(state, "Resource", pointer, required: true);
                problems.JsonataNumber(state, "TimeoutSeconds", pointer, 1, 99_999_999, integer: true);
                problems.JsonataNumber(state, "HeartbeatSeconds", pointer, 1, 99_999_999, integer: true);
                break;
            case "Choice":
                var rules = problems.Array(state, "Choices", pointer, required: true, nonEmpty: true);
                var at = Problems.Child(pointer, "Choices");
                for (var i = 0; rules is not null && i < rules.Count; i++)
                {
                    if (rules[i] is not JsonObject rule)
                    {
                        problems.Add(Problems.Child(at, i), "Every Choice rule must be an object");
                        continue;
                    }

                    new ChoiceRuleValidator(problems).ValidateJsonata(rule, Problems.Child(at, i));
                    if (rule.ContainsKey("Next"))
                        CheckTarget(rule, "Next", Problems.Child(at, i), stateNames);
                }

                if (state.ContainsKey("Default"))
                    CheckTarget(state, "Default", pointer, stateNames);
                break;
            case "Wait":
                var present = new[] { "Seconds", "Timestamp" }.Where(state.ContainsKey).ToList();
                if (present.Count != 1)
                    problems.Add(pointer, "A Wait state of a JSONata state machine needs exactly one of Seconds or Timestamp");
                problems.JsonataNumber(state, "Seconds", pointer, 0, 99_999_999, integer: true);
                if (state.TryGetPropertyValue("Timestamp", out var ts))
                {
                    if (!JsonValues.TryGetString(ts, out var text))
                        problems.Add(Problems.Child(pointer, "Timestamp"), $"'Timestamp' must be a string but is {JsonValues.TypeName(ts)}");
                    else if (JsonataQuery.IsExpression(text))
                        problems.JsonataText(text, Problems.Child(pointer, "Timestamp"));
                    else if (!Rfc3339Timestamp.TryParse(text, out _))
                        problems.Add(Problems.Child(pointer, "Timestamp"), $"'Timestamp' must be an RFC3339 timestamp such as 2016-03-14T01:59:00Z, or a {{% ... %}} expression, but is {JsonValues.ToJson(ts)}");
                }

                break;
            case "Fail":
                foreach (var field in new[] { "Error", "Cause" })
                {
                    if (problems.IsString(state, field, pointer))
                        problems.JsonataText(state[field]!.GetValue<string>(), Problems.Child(pointer, field));
                }

                break;
            case "Parallel":
                CheckParallel(state, pointer, machineJsonata);
                break;
            case "Map":
                CheckMap(state, pointer, machineJsonata);
                break;
        }
    }

    private void CheckTransition(string type, JsonObject state, string pointer, IReadOnlySet<string> stateNames)
    {
        var hasNext = state.ContainsKey("Next");
        var end = state["End"];
        var hasEnd = state.ContainsKey("End");
        if (hasEnd && !JsonValues.IsBoolean(end))
            problems.Add(Problems.Child(pointer, "End"), "'End' must be a boolean");
        var ends = JsonValues.KindOf(end) == JsonValueKind.True;

        if (!StateFields.NeedTransition.Contains(type))
            return;
        if (hasNext && hasEnd)
            problems.Add(pointer, "A state cannot have both 'Next' and 'End'");
        else if (!hasNext && !ends)
            problems.Add(pointer, hasEnd ? "'End' is false but there is no 'Next'" : "A state needs 'Next' or \"End\": true");
        if (hasNext)
            CheckTarget(state, "Next", pointer, stateNames);
    }

    public void CheckTarget(JsonObject obj, string field, string pointer, IReadOnlySet<string> stateNames)
    {
        if (!problems.IsString(obj, field, pointer))
            return;
        var target = obj[field]!.GetValue<string>();
        if (!stateNames.Contains(target))
            problems.Add(Problems.Child(pointer, field), $"'{field}' names '{target}', which is not a state here");
    }

    private void CheckTask(JsonObject state, string pointer)
    {
        problems.IsString(state, "Resource", pointer, required: true);
        var timeout = problems.Integer(state, "TimeoutSeconds", pointer, 1, "a positive integer");
        var heartbeat = problems.Integer(state, "HeartbeatSeconds", pointer, 1, "a positive integer");
        Exclusive(state, pointer, "TimeoutSeconds", "TimeoutSecondsPath");
        Exclusive(state, pointer, "HeartbeatSeconds", "HeartbeatSecondsPath");
        problems.Path(state, "TimeoutSecondsPath", pointer, reference: true);
        problems.Path(state, "HeartbeatSecondsPath", pointer, reference: true);
        if (heartbeat is not null && heartbeat >= (timeout ?? 60))
        {
            problems.Add(Problems.Child(pointer, "HeartbeatSeconds"),
                $"'HeartbeatSeconds' ({heartbeat}) must be smaller than 'TimeoutSeconds' ({timeout ?? 60}{(timeout is null ? ", the default" : string.Empty)})");
        }
    }

    private void CheckChoice(JsonObject state, string pointer, IReadOnlySet<string> stateNames)
    {
        var rules = problems.Array(state, "Choices", pointer, required: true, nonEmpty: true);
        var ruleValidator = new ChoiceRuleValidator(problems);
        var at = Problems.Child(pointer, "Choices");
        for (var i = 0; rules is not null && i < rules.Count; i++)
        {
            if (rules[i] is not JsonObject rule)
            {
                problems.Add(Problems.Child(at, i), "Every Choice rule must be an object");
                continue;
            }

            ruleValidator.Validate(rule, Problems.Child(at, i), topLevel: true);
            if (rule.ContainsKey("Next"))
                CheckTarget(rule, "Next", Problems.Child(at, i), stateNames);
            if (rule["Assign"] is JsonObject assign)
                problems.Template(assign, Problems.Child(Problems.Child(at, i), "Assign"));
        }

        if (state.ContainsKey("Default"))
            CheckTarget(state, "Default", pointer, stateNames);
    }

    private void CheckWait(JsonObject state, string pointer)
    {
        string[] modes = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];
        var present = modes.Where(state.ContainsKey).ToList();
        if (present.Count != 1)
        {
            problems.Add(pointer, present.Count == 0
                ? "A Wait state needs exactly one of Seconds, SecondsPath, Timestamp or TimestampPath"
                : $"A Wait state needs exactly one of Seconds, SecondsPath, Timestamp or TimestampPath but has {string.Join(", ", present)}");
        }

        problems.Integer(state, "Seconds", pointer, 0, "a non-negative integer");
        problems.Path(state, "SecondsPath", pointer, reference: true);
        problems.Path(state, "TimestampPath", pointer, reference: true);
        if (state.TryGetPropertyValue("Timestamp", out var ts) && !(JsonValues.TryGetString(ts, out var text) && Rfc3339Timestamp.TryParse(text, out _)))
            problems.Add(Problems.Child(pointer, "Timestamp"), $"'Timestamp' must be an RFC3339 timestamp such as 2016-03-14T01:59:00Z but is {JsonValues.ToJson(ts)}");
    }

    private void CheckFail(JsonObject state, string pointer)
    {
        Exclusive(state, pointer, "Error", "ErrorPath");
        Exclusive(state, pointer, "Cause", "CausePath");
        problems.IsString(state, "Error", pointer);
        problems.IsString(state, "Cause", pointer);
        problems.Path(state, "ErrorPath", pointer, reference: true, allowIntrinsic: true);
        problems.Path(state, "CausePath", pointer, reference: true, allowIntrinsic: true);
    }

    private void CheckParallel(JsonObject state, string pointer, bool machineJsonata)
    {
        var branches = problems.Array(state, "Branches", pointer, required: true, nonEmpty: true);
        var at = Problems.Child(pointer, "Branches");
        for (var i = 0; branches is not null && i < branches.Count; i++)
        {
            if (branches[i] is JsonObject branch)
                machines.Validate(branch, Problems.Child(at, i), MachineKind.Branch, machineJsonata);
            else
                problems.Add(Problems.Child(at, i), "Every branch must be an object with StartAt and States");
        }
    }

    private void CheckMap(JsonObject state, string pointer, bool machineJsonata)
    {
        var jsonata = state["QueryLanguage"] is JsonValue ql && ql.TryGetValue<string>(out var language) ? language == "JSONata" : machineJsonata;
        var hasProcessor = state.ContainsKey("ItemProcessor");
        var hasIterator = state.ContainsKey("Iterator");
        if (hasProcessor == hasIterator)
            problems.Add(pointer, hasProcessor ? "A Map state cannot have both 'ItemProcessor' and 'Iterator'" : "A Map state needs 'ItemProcessor' (or the older 'Iterator')");
        foreach (var field in new[] { "ItemProcessor", "Iterator" })
        {
            if (problems.Object(state, field, pointer) is { } processor)
                // The older Iterator takes a ProcessorConfig too (AWS accepts it there for INLINE and DISTRIBUTED alike).
                machines.Validate(processor, Problems.Child(pointer, field), MachineKind.ItemProcessor, machineJsonata);
        }

        CheckItemReader(state, pointer, jsonata);
        CheckItemBatcher(state, pointer, jsonata);
        CheckResultWriter(state, pointer, jsonata);

        if (jsonata)
        {
            problems.JsonataNumber(state, "MaxConcurrency", pointer, 0, int.MaxValue, integer: true);
            problems.JsonataNumber(state, "ToleratedFailureCount", pointer, 0, int.MaxValue, integer: true);
            problems.JsonataNumber(state, "ToleratedFailurePercentage", pointer, 0, 100, integer: false);
            problems.IsString(state, "Label", pointer);
            return;
        }

        Exclusive(state, pointer, "Parameters", "ItemSelector");
        Exclusive(state, pointer, "MaxConcurrency", "MaxConcurrencyPath");
        Exclusive(state, pointer, "ToleratedFailurePercentage", "ToleratedFailurePercentagePath");
        Exclusive(state, pointer, "ToleratedFailureCount", "ToleratedFailureCountPath");
        problems.Path(state, "ItemsPath", pointer, reference: true);
        problems.Path(state, "MaxConcurrencyPath", pointer, reference: true);
        problems.Path(state, "ToleratedFailurePercentagePath", pointer, reference: true);
        problems.Path(state, "ToleratedFailureCountPath", pointer, reference: true);
        problems.Integer(state, "MaxConcurrency", pointer, 0, "an integer >= 0");
        problems.Integer(state, "ToleratedFailureCount", pointer, 0, "an integer >= 0");
        problems.IsString(state, "Label", pointer);
        if (state.TryGetPropertyValue("ToleratedFailurePercentage", out var pct)
            && !(JsonValues.TryGetDecimal(pct, out var p) && p is >= 0 and <= 100))
        {
            problems.Add(Problems.Child(pointer, "ToleratedFailurePercentage"), $"'ToleratedFailurePercentage' must be a number from 0 to 100 but is {JsonValues.ToJson(pct)}");
        }
    }

    /// <summary>Fields of a Map's ItemReader/ItemBatcher/ResultWriter; JSONPath-only or JSONata-only ones are named as such.</summary>
    private void RejectUnknownConfigFields(JsonObject config, string at, bool jsonata, string[] common, string[] jsonPathOnly, string[] jsonataOnly, string where)
    {
        var allowed = new HashSet<string>(common.Concat(jsonata ? jsonataOnly : jsonPathOnly), StringComparer.Ordinal);
        if (jsonata)
            problems.RejectUnknownJsonataFields(config, at, allowed, where + " of a state");
        else
            problems.RejectUnknownFields(config, at, allowed, where);
    }

    /// <summary>Parameters (JSONPath: a payload template) or Arguments (JSONata: an object or one {% %} expression).</summary>
    private void CheckTarget(JsonObject config, string at, bool jsonata)
    {
        var field = jsonata ? "Arguments" : "Parameters";
        if (!config.TryGetPropertyValue(field, out var value))
            return;
        if (jsonata && (value is JsonObject || (JsonValues.TryGetString(value, out var text) && JsonataQuery.IsExpression(text))))
            problems.JsonataTemplate(value, Problems.Child(at, field));
        else if (!jsonata && value is JsonObject)
            problems.Template(value, Problems.Child(at, field));
        else
            problems.Add(Problems.Child(at, field), $"'{field}' must be an object{(jsonata ? " or a {% ... %} expression" : string.Empty)} but is {JsonValues.TypeName(value)}");
    }

    /// <summary>
    /// ItemReader: Resource, ReaderConfig and the bucket and key in Parameters (JSONPath) or Arguments (JSONata); in
    /// JSONata ReaderConfig.MaxItems may be an expression and MaxItemsPath does not exist.
    /// </summary>
    private void CheckItemReader(JsonObject state, string pointer, bool jsonata)
    {
        if (problems.Object(state, "ItemReader", pointer) is not { } reader)
            return;
        var at = Problems.Child(pointer, "ItemReader");
        RejectUnknownConfigFields(reader, at, jsonata, ["Resource", "ReaderConfig"], ["Parameters"], ["Arguments"], "an ItemReader");
        problems.IsString(reader, "Resource", at, required: true);
        CheckTarget(reader, at, jsonata);
        if (problems.Object(reader, "ReaderConfig", at) is not { } config)
            return;
        var configAt = Problems.Child(at, "ReaderConfig");
        RejectUnknownConfigFields(config, configAt, jsonata, ["InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "MaxItems"], ["MaxItemsPath"], [], "a ReaderConfig");
        Enumerated(config, "InputType", configAt, "CSV", "JSON", "JSONL", "MANIFEST");
        Enumerated(config, "CSVHeaderLocation", configAt, "FIRST_ROW", "GIVEN");
        Enumerated(config, "CSVDelimiter", configAt, "COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB");
        if (jsonata)
        {
            problems.JsonataNumber(config, "MaxItems", configAt, 0, 100_000_000, integer: true);
            return;
        }

        Exclusive(config, configAt, "MaxItems", "MaxItemsPath");
        problems.Integer(config, "MaxItems", configAt, 0, "an integer >= 0");
        problems.Path(config, "MaxItemsPath", configAt, reference: true);
    }

    /// <summary>ItemBatcher: the limits are integers, paths (JSONPath) or expressions (JSONata); BatchInput a template of either kind.</summary>
    private void CheckItemBatcher(JsonObject state, string pointer, bool jsonata)
    {
        if (problems.Object(state, "ItemBatcher", pointer) is not { } batcher)
            return;
        var at = Problems.Child(pointer, "ItemBatcher");
        RejectUnknownConfigFields(
            batcher, at, jsonata, ["MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput"], ["MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"], [], "an ItemBatcher");
        var limits = jsonata ? new[] { "MaxItemsPerBatch", "MaxInputBytesPerBatch" } : ["MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"];
        if (!limits.Any(batcher.ContainsKey))
            problems.Add(at, $"An ItemBatcher needs {string.Join(" or ", limits)}");
        if (jsonata)
        {
            problems.JsonataNumber(batcher, "MaxItemsPerBatch", at, 1, int.MaxValue, integer: true);
            problems.JsonataNumber(batcher, "MaxInputBytesPerBatch", at, 1, 262_144, integer: true);
            if (batcher.TryGetPropertyValue("BatchInput", out var input))
                problems.JsonataTemplate(input, Problems.Child(at, "BatchInput"));
            return;
        }

        Exclusive(batcher, at, "MaxItemsPerBatch", "MaxItemsPerBatchPath");
        Exclusive(batcher, at, "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath");
        problems.Integer(batcher, "MaxItemsPerBatch", at, 1, "a positive integer");
        problems.Integer(batcher, "MaxInputBytesPerBatch", at, 1, "a positive integer");
        problems.Path(batcher, "MaxItemsPerBatchPath", at, reference: true);
        problems.Path(batcher, "MaxInputBytesPerBatchPath", at, reference: true);
        if (batcher.TryGetPropertyValue("BatchInput", out var batchInput))
        {
            if (batchInput is JsonObject)
                problems.Template(batchInput, Problems.Child(at, "BatchInput"));
            else
                problems.Add(Problems.Child(at, "BatchInput"), $"'BatchInput' must be an object but is {JsonValues.TypeName(batchInput)}");
        }
    }

    /// <summary>ResultWriter: WriterConfig alone, Resource with Parameters/Arguments, or all three (AWS's required combinations).</summary>
    private void CheckResultWriter(JsonObject state, string pointer, bool jsonata)
    {
        if (problems.Object(state, "ResultWriter", pointer) is not { } writer)
            return;
        var at = Problems.Child(pointer, "ResultWriter");
        var target = jsonata ? "Arguments" : "Parameters";
        RejectUnknownConfigFields(writer, at, jsonata, ["Resource", "WriterConfig"], ["Parameters"], ["Arguments"], "a ResultWriter");
        problems.IsString(writer, "Resource", at);
        CheckTarget(writer, at, jsonata);
        var hasResource = writer.ContainsKey("Resource");
        var hasTarget = writer.ContainsKey(target);
        if (hasResource != hasTarget || (!hasResource && !writer.ContainsKey("WriterConfig")))
            problems.Add(at, $"A ResultWriter needs WriterConfig, Resource with {target}, or all three");
        if (problems.Object(writer, "WriterConfig", at) is not { } config)
            return;
        var configAt = Problems.Child(at, "WriterConfig");
        problems.RejectUnknownFields(config, configAt, new HashSet<string>(["Transformation", "OutputType"], StringComparer.Ordinal), "a WriterConfig");
        Enumerated(config, "Transformation", configAt, "NONE", "COMPACT", "FLATTEN");
        Enumerated(config, "OutputType", configAt, "JSON", "JSONL");
    }

    private void Enumerated(JsonObject obj, string field, string pointer, params string[] values)
    {
        if (obj.TryGetPropertyValue(field, out var value) && !(JsonValues.TryGetString(value, out var text) && values.Contains(text, StringComparer.Ordinal)))
            problems.Add(Problems.Child(pointer, field), $"'{field}' must be one of {string.Join(", ", values)} but is {JsonValues.ToJson(value)}");
    }

    private void CheckRetry(JsonObject state, string pointer)
    {
        var retriers = problems.Array(state, "Retry", pointer);
        var at = Problems.Child(pointer, "Retry");
        var allowed = new HashSet<string>(StringComparer.Ordinal) { "ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment" };
        for (var i = 0; retriers is not null && i < retriers.Count; i++)
        {
            var entry = Problems.Child(at, i);
            if (retriers[i] is not JsonObject retrier)
            {
                problems.Add(entry, "Every Retry entry must be an object");
                continue;
            }

            problems.RejectUnknownFields(retrier, entry, allowed, "a Retry entry");
            CheckErrorEquals(retrier, entry, isLast: i == retriers.Count - 1, "Retry");
            problems.Integer(retrier, "IntervalSeconds", entry, 1, "a positive integer");
            problems.Integer(retrier, "MaxAttempts", entry, 0, "an integer >= 0");
            problems.Integer(retrier, "MaxDelaySeconds", entry, 1, "a positive integer");
            if (retrier.TryGetPropertyValue("BackoffRate", out var rate) && !(JsonValues.TryGetDecimal(rate, out var r) && r >= 1))
                problems.Add(Problems.Child(entry, "BackoffRate"), $"'BackoffRate' must be a number >= 1.0 but is {JsonValues.ToJson(rate)}");
            if (retrier.TryGetPropertyValue("JitterStrategy", out var jitter) && !(JsonValues.TryGetString(jitter, out var j) && j is "FULL" or "NONE"))
                problems.Add(Problems.Child(entry, "JitterStrategy"), "'JitterStrategy' must be \"FULL\" or \"NONE\"");
        }
    }

    private void CheckCatch(JsonObject state, string pointer, IReadOnlySet<string> stateNames, bool jsonata)
    {
        var catchers = problems.Array(state, "Catch", pointer);
        var at = Problems.Child(pointer, "Catch");
        var allowed = new HashSet<string>(StringComparer.Ordinal) { "ErrorEquals", "Next", jsonata ? "Output" : "ResultPath", "Comment", "Assign" };
        for (var i = 0; catchers is not null && i < catchers.Count; i++)
        {
            var entry = Problems.Child(at, i);
            if (catchers[i] is not JsonObject catcher)
            {
                problems.Add(entry, "Every Catch entry must be an object");
                continue;
            }

            if (jsonata)
                problems.RejectUnknownJsonataFields(catcher, entry, allowed, "a Catch entry of a state");
            else
                problems.RejectUnknownFields(catcher, entry, allowed, "a Catch entry");
            CheckErrorEquals(catcher, entry, isLast: i == catchers.Count - 1, "Catch");
            if (problems.IsString(catcher, "Next", entry, required: true))
                CheckTarget(catcher, "Next", entry, stateNames);
            if (jsonata)
            {
                if (catcher.TryGetPropertyValue("Output", out var output))
                    problems.JsonataTemplate(output, Problems.Child(entry, "Output"));
                if (catcher["Assign"] is JsonObject jsonataAssign)
                    problems.JsonataTemplate(jsonataAssign, Problems.Child(entry, "Assign"));
                continue;
            }

            problems.Path(catcher, "ResultPath", entry, reference: true, nullable: true);
            if (catcher["Assign"] is JsonObject assign)
                problems.Template(assign, Problems.Child(entry, "Assign"));
        }
    }

    /// <summary>ErrorEquals: non-empty strings; States.ALL must be alone and in the last entry.</summary>
    private void CheckErrorEquals(JsonObject entry, string pointer, bool isLast, string section)
    {
        var errors = problems.Array(entry, "ErrorEquals", pointer, required: true, nonEmpty: true);
        if (errors is null)
            return;
        var at = Problems.Child(pointer, "ErrorEquals");
        for (var i = 0; i < errors.Count; i++)
        {
            if (!JsonValues.IsString(errors[i]))
                problems.Add(Problems.Child(at, i), "Error names must be strings");
        }

        var hasAll = errors.Any(e => JsonValues.TryGetString(e, out var s) && s == AllErrors);
        if (!hasAll)
            return;
        if (errors.Count > 1)
            problems.Add(at, $"\"{AllErrors}\" must appear alone in ErrorEquals");
        if (!isLast)
            problems.Add(at, $"The {section} entry with \"{AllErrors}\" must be the last one");
    }

    private void Exclusive(JsonObject state, string pointer, string a, string b)
    {
        if (state.ContainsKey(a) && state.ContainsKey(b))
            problems.Add(pointer, $"'{a}' and '{b}' cannot both be set");
    }
}
