using System.Text.Json.Nodes;
using StockFlow.Asl.Expressions;

namespace StockFlow.Asl.Validation;

/// <summary>Checks Choice rules: one operator, a valid Variable, operand types, Next only at the top level.</summary>
internal sealed class ChoiceRuleValidator(Problems problems)
{
    /// <summary>A Choice rule of a JSONata state: Condition (a boolean or an expression), Next, and optional Assign/Output.</summary>
    public void ValidateJsonata(JsonObject rule, string pointer)
    {
        var allowed = new HashSet<string>(StringComparer.Ordinal) { "Condition", "Next", "Assign", "Output", "Comment" };
        foreach (var (key, _) in rule)
        {
            if (allowed.Contains(key))
                continue;
            var message = key == "Variable" || IsOperator(key)
                ? $"Field '{key}' is a JSONPath Choice rule field; a Choice rule of a JSONata state has a 'Condition' (a {{% ... %}} expression giving a boolean)"
                : $"Field '{key}' is not allowed in a Choice rule";
            problems.Add(Problems.Child(pointer, key), message);
        }

        problems.IsString(rule, "Next", pointer, required: true);
        if (!rule.TryGetPropertyValue("Condition", out var condition))
            problems.Add(pointer, "Missing required field 'Condition'");
        else if (JsonValues.TryGetString(condition, out var text) && JsonataQuery.IsExpression(text))
            problems.JsonataText(text, Problems.Child(pointer, "Condition"));
        else if (!JsonValues.IsBoolean(condition))
            problems.Add(Problems.Child(pointer, "Condition"), $"'Condition' must be a {{% ... %}} expression or a boolean but is {JsonValues.ToJson(condition)}");
        if (rule.TryGetPropertyValue("Assign", out var assign))
        {
            if (assign is JsonObject)
                problems.JsonataTemplate(assign, Problems.Child(pointer, "Assign"));
            else
                problems.Add(Problems.Child(pointer, "Assign"), $"'Assign' must be an object but is {JsonValues.TypeName(assign)}");
        }

        if (rule.TryGetPropertyValue("Output", out var output))
            problems.JsonataTemplate(output, Problems.Child(pointer, "Output"));
    }

    public void Validate(JsonObject rule, string pointer, bool topLevel)
    {
        var operators = rule.Select(p => p.Key).Where(IsOperator).ToList();
        var allowed = new HashSet<string>(StringComparer.Ordinal) { "Variable", "Comment" };
        if (topLevel)
        {
            allowed.Add("Next");
            allowed.Add("Assign");
        }

        allowed.UnionWith(operators);
        foreach (var (key, _) in rule)
        {
            if (allowed.Contains(key))
                continue;
            var message = key == "Next"
                ? "'Next' is only allowed on a top-level Choice rule, not inside And/Or/Not"
                : key is "Condition" or "Output"
                    ? $"Field '{key}' belongs to Choice rules of JSONata states: set \"QueryLanguage\": \"JSONata\" on the state or the state machine"
                    : $"Field '{key}' is not allowed in a Choice rule";
            problems.Add(Problems.Child(pointer, key), message);
        }

        if (topLevel)
            problems.IsString(rule, "Next", pointer, required: true);

        if (operators.Count == 0)
        {
            problems.Add(pointer, "A Choice rule needs exactly one comparison operator, type test, And, Or or Not");
            return;
        }

        if (operators.Count > 1)
            problems.Add(pointer, $"A Choice rule must have exactly one operator but has {string.Join(", ", operators)}");

        var op = operators[0];
        var at = Problems.Child(pointer, op);
        switch (op)
        {
            case "And" or "Or":
                if (rule.ContainsKey("Variable"))
                    problems.Add(Problems.Child(pointer, "Variable"), $"'{op}' rules do not take a Variable");
                var nested = problems.Array(rule, op, pointer, nonEmpty: true);
                for (var i = 0; nested is not null && i < nested.Count; i++)
                {
                    if (nested[i] is JsonObject child)
                        Validate(child, Problems.Child(at, i), topLevel: false);
                    else
                        problems.Add(Problems.Child(at, i), $"Every entry of '{op}' must be a rule object");
                }

                return;
            case "Not":
                if (rule.ContainsKey("Variable"))
                    problems.Add(Problems.Child(pointer, "Variable"), "'Not' rules do not take a Variable");
                if (problems.Object(rule, "Not", pointer) is { } inner)
                    Validate(inner, at, topLevel: false);
                return;
        }

        if (problems.IsString(rule, "Variable", pointer, required: true))
            problems.Path(rule, "Variable", pointer, reference: false);

        var value = rule[op];
        if (ChoiceRules.TypeTests.Contains(op))
        {
            if (!JsonValues.IsBoolean(value))
                problems.Add(at, $"'{op}' must be true or false");
        }
        else if (!ChoiceRules.ComparisonOperators.Contains(op))
        {
            problems.Path(rule, op, pointer, reference: false);
        }
        else if (!HasOperandType(op, value))
        {
            problems.Add(at, $"'{op}' must be {OperandDescription(op)} but is {JsonValues.ToJson(value)}");
        }
    }

    private static bool IsOperator(string key) =>
        key is "And" or "Or" or "Not" || ChoiceRules.TypeTests.Contains(key) || ChoiceRules.ComparisonOperators.Contains(key)
        || (key.EndsWith("Path", StringComparison.Ordinal) && ChoiceRules.ComparisonOperators.Contains(key[..^4]));

    private static bool HasOperandType(string op, JsonNode? value) => op switch
    {
        _ when op.StartsWith("String", StringComparison.Ordinal) => JsonValues.IsString(value),
        _ when op.StartsWith("Numeric", StringComparison.Ordinal) => JsonValues.IsNumber(value),
        "BooleanEquals" => JsonValues.IsBoolean(value),
        _ => JsonValues.TryGetString(value, out var s) && Rfc3339Timestamp.TryParse(s, out _),
    };

    private static string OperandDescription(string op) => op switch
    {
        _ when op.StartsWith("String", StringComparison.Ordinal) => "a string",
        _ when op.StartsWith("Numeric", StringComparison.Ordinal) => "a number",
        "BooleanEquals" => "a boolean",
        _ => "an RFC3339 timestamp string such as 2016-03-14T01:59:00Z",
    };
}
