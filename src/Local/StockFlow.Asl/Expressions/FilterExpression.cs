using System.Text.Json;
using System.Text.Json.Nodes;

namespace StockFlow.Asl.Expressions;

/// <summary>A parsed JSONPath filter predicate (<c>@.a == 'x' &amp;&amp; @.b</c>), tested against one candidate node.</summary>
internal abstract class FilterExpression
{
    public abstract bool Test(JsonNode? candidate, PayloadScope scope);
}

internal sealed class OrFilter(FilterExpression left, FilterExpression right) : FilterExpression
{
    public override bool Test(JsonNode? candidate, PayloadScope scope) =>
        left.Test(candidate, scope) || right.Test(candidate, scope);
}

internal sealed class AndFilter(FilterExpression left, FilterExpression right) : FilterExpression
{
    public override bool Test(JsonNode? candidate, PayloadScope scope) =>
        left.Test(candidate, scope) && right.Test(candidate, scope);
}

internal sealed class NotFilter(FilterExpression inner) : FilterExpression
{
    public override bool Test(JsonNode? candidate, PayloadScope scope) => !inner.Test(candidate, scope);
}

/// <summary>A bare operand: a path passes when it exists (even holding null/false), a literal when it is true.</summary>
internal sealed class ExistsFilter(FilterOperand operand) : FilterExpression
{
    public override bool Test(JsonNode? candidate, PayloadScope scope)
    {
        if (!operand.TryResolve(candidate, scope, out var value))
            return false;
        return operand.IsPath || JsonValues.KindOf(value) == JsonValueKind.True;
    }
}

internal enum FilterComparison
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>
/// Binary comparison. A missing operand makes it false. Equality is structural and type-strict;
/// ordering is defined for two numbers or two strings (ordinal) and false otherwise.
/// </summary>
internal sealed class CompareFilter(FilterOperand left, FilterComparison op, FilterOperand right) : FilterExpression
{
    public override bool Test(JsonNode? candidate, PayloadScope scope)
    {
        if (!left.TryResolve(candidate, scope, out var l) || !right.TryResolve(candidate, scope, out var r))
            return false;
        return op switch
        {
            FilterComparison.Equal => JsonValues.DeepEquals(l, r),
            FilterComparison.NotEqual => !JsonValues.DeepEquals(l, r),
            _ => Order(l, r) is { } c && op switch
            {
                FilterComparison.Less => c < 0,
                FilterComparison.LessOrEqual => c <= 0,
                FilterComparison.Greater => c > 0,
                _ => c >= 0,
            },
        };
    }

    private static int? Order(JsonNode? l, JsonNode? r)
    {
        if (JsonValues.IsNumber(l) && JsonValues.IsNumber(r))
            return JsonValues.CompareNumbers(l!, r!);
        if (JsonValues.TryGetString(l, out var ls) && JsonValues.TryGetString(r, out var rs))
            return string.CompareOrdinal(ls, rs);
        return null;
    }
}

/// <summary>A filter operand: a literal, a path relative to the candidate (<c>@</c>) or an absolute path (<c>$</c>).</summary>
internal sealed class FilterOperand
{
    private readonly JsonNode? literal;
    private readonly JsonPath? path;

    private FilterOperand(JsonNode? literal, JsonPath? path)
    {
        this.literal = literal;
        this.path = path;
    }

    public bool IsPath => path is not null;

    public static FilterOperand Literal(JsonNode? value) => new(value, null);

    public static FilterOperand Path(JsonPath path) => new(null, path);

    public bool TryResolve(JsonNode? candidate, PayloadScope scope, out JsonNode? value)
    {
        if (path is null)
        {
            value = literal;
            return true;
        }

        var matches = path.SelectRaw(scope, candidate);
        if (matches.Count == 0 || (!path.IsDefinite && matches.Count != 1))
        {
            value = null;
            return false;
        }

        value = matches[0];
        return true;
    }
}
