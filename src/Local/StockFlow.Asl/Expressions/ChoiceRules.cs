using System.Text.Json;
using System.Text.Json.Nodes;

namespace StockFlow.Asl.Expressions;

/// <summary>Evaluates one Choice rule (or nested And/Or/Not) of JSONPath-mode ASL.</summary>
public static class ChoiceRules
{
    /// <summary>Every comparison operator the ASL defines; each also has a <c>...Path</c> form.</summary>
    public static readonly IReadOnlySet<string> ComparisonOperators = new HashSet<string>(StringComparer.Ordinal)
    {
        "StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals", "StringMatches",
        "NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals", "NumericGreaterThanEquals",
        "BooleanEquals",
        "TimestampEquals", "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals", "TimestampGreaterThanEquals",
    };

    /// <summary>The type tests; their value is a boolean and <c>false</c> means "is not".</summary>
    public static readonly IReadOnlySet<string> TypeTests = new HashSet<string>(StringComparer.Ordinal)
    {
        "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp",
    };

    /// <summary>The operator name of a rule (comparison, Path variant, type test, And/Or/Not), or null when it has none.</summary>
    public static string? OperatorOf(JsonObject rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        foreach (var (key, _) in rule)
        {
            if (key is "And" or "Or" or "Not" || TypeTests.Contains(key) || ComparisonOperators.Contains(key)
                || (key.EndsWith("Path", StringComparison.Ordinal) && ComparisonOperators.Contains(key[..^4])))
                return key;
        }

        return null;
    }

    /// <summary>
    /// True when the rule matches. Values of the wrong type simply do not match. A Variable (or a
    /// <c>...Path</c> operand) that does not exist is <c>States.Runtime</c>, except under IsPresent.
    /// </summary>
    public static bool Matches(JsonObject rule, PayloadScope scope)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(scope);
        var op = OperatorOf(rule) ?? throw Invalid("the Choice rule has no comparison operator, And, Or or Not");
        switch (op)
        {
            case "And":
                return Rules(rule, op).All(r => Matches(r, scope));
            case "Or":
                return Rules(rule, op).Any(r => Matches(r, scope));
            case "Not":
                return !Matches(rule["Not"] as JsonObject ?? throw Invalid("'Not' must hold one rule object"), scope);
        }

        var variablePath = JsonValues.TryGetString(rule["Variable"], out var v)
            ? v
            : throw Invalid($"the Choice rule with {op} needs a string 'Variable'");
        var exists = TryRead(variablePath, scope, out var variable);
        var operand = rule[op];

        if (TypeTests.Contains(op))
        {
            var expected = JsonValues.KindOf(operand) switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Invalid($"{op} must be true or false"),
            };
            if (op == "IsPresent")
                return exists == expected;
            if (!exists)
                throw MissingVariable(variablePath);
            return TypeTest(op, variable) == expected;
        }

        if (!exists)
            throw MissingVariable(variablePath);

        var comparison = op;
        if (!ComparisonOperators.Contains(op))
        {
            comparison = op[..^4];
            var operandPath = JsonValues.TryGetString(operand, out var p) ? p : throw Invalid($"{op} must be a path string");
            if (!TryRead(operandPath, scope, out operand))
                throw MissingVariable(operandPath);
        }
        else
        {
            CheckLiteralType(comparison, operand);
        }

        return Compare(comparison, variable, operand);
    }

    private static IEnumerable<JsonObject> Rules(JsonObject rule, string op) =>
        rule[op] is JsonArray { Count: > 0 } rules
            ? rules.Select(r => r as JsonObject ?? throw Invalid($"every entry of '{op}' must be a rule object"))
            : throw Invalid($"'{op}' must be a non-empty array of rules");

    private static bool TryRead(string path, PayloadScope scope, out JsonNode? value)
    {
        try
        {
            return JsonPath.Parse(path).TryEvaluate(scope, out value);
        }
        catch (JsonPathSyntaxException e)
        {
            throw Invalid(e.Message);
        }
    }

    private static bool TypeTest(string op, JsonNode? value) => op switch
    {
        "IsNull" => value is null,
        "IsNumeric" => JsonValues.IsNumber(value),
        "IsString" => JsonValues.IsString(value),
        "IsBoolean" => JsonValues.IsBoolean(value),
        "IsTimestamp" => JsonValues.TryGetString(value, out var s) && Rfc3339Timestamp.TryParse(s, out _),
        _ => throw Invalid($"unknown type test {op}"),
    };

    /// <summary>A literal of the wrong type is a definition error, unlike a variable of the wrong type.</summary>
    private static void CheckLiteralType(string op, JsonNode? operand)
    {
        var ok = op switch
        {
            _ when op.StartsWith("String", StringComparison.Ordinal) => JsonValues.IsString(operand),
            _ when op.StartsWith("Numeric", StringComparison.Ordinal) => JsonValues.IsNumber(operand),
            "BooleanEquals" => JsonValues.IsBoolean(operand),
            _ => JsonValues.TryGetString(operand, out var s) && Rfc3339Timestamp.TryParse(s, out _),
        };
        if (!ok)
            throw Invalid($"the value of {op} must be a {(op.StartsWith("Timestamp", StringComparison.Ordinal) ? "RFC3339 timestamp string" : op.StartsWith("Boolean", StringComparison.Ordinal) ? "boolean" : op.StartsWith("String", StringComparison.Ordinal) ? "string" : "number")} but was {JsonValues.ToJson(operand)}");
    }

    private static bool Compare(string op, JsonNode? variable, JsonNode? operand)
    {
        if (op == "BooleanEquals")
            return JsonValues.IsBoolean(variable) && JsonValues.IsBoolean(operand) && JsonValues.KindOf(variable) == JsonValues.KindOf(operand);

        if (op == "StringMatches")
            return JsonValues.TryGetString(variable, out var text) && JsonValues.TryGetString(operand, out var pattern) && StringPattern.Matches(text, pattern);

        int? order = null;
        if (op.StartsWith("String", StringComparison.Ordinal))
        {
            if (JsonValues.TryGetString(variable, out var l) && JsonValues.TryGetString(operand, out var r))
                order = string.CompareOrdinal(l, r);
        }
        else if (op.StartsWith("Numeric", StringComparison.Ordinal))
        {
            if (JsonValues.IsNumber(variable) && JsonValues.IsNumber(operand))
                order = JsonValues.CompareNumbers(variable!, operand!);
        }
        else if (JsonValues.TryGetString(variable, out var lt) && JsonValues.TryGetString(operand, out var rt)
                 && Rfc3339Timestamp.TryParse(lt, out var left) && Rfc3339Timestamp.TryParse(rt, out var right))
        {
            order = left.CompareTo(right);
        }

        if (order is not { } c)
            return false;
        return op switch
        {
            _ when op.EndsWith("LessThanEquals", StringComparison.Ordinal) => c <= 0,
            _ when op.EndsWith("GreaterThanEquals", StringComparison.Ordinal) => c >= 0,
            _ when op.EndsWith("LessThan", StringComparison.Ordinal) => c < 0,
            _ when op.EndsWith("GreaterThan", StringComparison.Ordinal) => c > 0,
            _ => c == 0,
        };
    }

    private static StatesErrorException MissingVariable(string path) =>
        new(StatesErrors.Runtime, $"Invalid path '{path}': The choice state's condition path references an invalid value.");

    private static StatesErrorException Invalid(string problem) =>
        new(StatesErrors.Runtime, $"Invalid Choice rule: {problem}");
}
