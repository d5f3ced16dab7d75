using System.Text.Json.Nodes;

namespace StockFlow.Jsonata.Suite;

/// <summary>What an evaluation gave: a value as JSON, undefined, or an error code (with the token it names).</summary>
public sealed record Outcome(ExpectationKind Kind, JsonNode? Value, string? Code, string? Token, string? Message)
{
    /// <summary>A defined result.</summary>
    public static Outcome Of(JsonNode? value) => new(ExpectationKind.Value, value, null, null, null);

    /// <summary>No result.</summary>
    public static Outcome Undefined { get; } = new(ExpectationKind.Undefined, null, null, null, null);

    /// <summary>An error.</summary>
    public static Outcome Failed(string code, string? token, string? message) => new(ExpectationKind.Error, null, code, token, message);

    /// <summary>One line for a report.</summary>
    public string Describe() => Kind switch
    {
        ExpectationKind.Value => Shorten(Value?.ToJsonString() ?? "null"),
        ExpectationKind.Undefined => "undefined",
        _ => $"error {Code}: {Shorten(Message ?? string.Empty)}",
    };

    internal static string Shorten(string text) => text.Length <= 160 ? text : text[..157] + "...";
}

/// <summary>
/// Judges an outcome as jsonata-js's harness does: chai's deep equality for values (arrays in order, objects by key
/// whatever their order, numbers as numbers; with <c>unordered</c> the array's items in any order), undefined for
/// <c>undefinedResult</c>, the code (and the token and message when the case names them) for errors.
/// </summary>
public static class Judge
{
    /// <summary>Null when the outcome is what the case expects, otherwise why not.</summary>
    /// <param name="c">The case.</param>
    /// <param name="actual">What the evaluation gave.</param>
    /// <param name="checkToken">False when the outcome cannot name a token (the CLI prints none).</param>
    public static string? Check(SuiteCase c, Outcome actual, bool checkToken = true)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(actual);
        var expected = c.Expected;
        var timeBoxed = c.TimeLimitMs != null && c.Depth != null;
        switch (expected.Kind)
        {
            case ExpectationKind.Value when actual.Kind == ExpectationKind.Value:
                var equal = c.Unordered && expected.Value is JsonArray e && actual.Value is JsonArray a
                    ? SameItems(e, a)
                    : JsonEquals(expected.Value, actual.Value);
                return equal ? null : $"expected {Outcome.Shorten(expected.Value?.ToJsonString() ?? "null")}, got {actual.Describe()}";
            case ExpectationKind.Undefined when actual.Kind == ExpectationKind.Undefined:
                return null;
            case ExpectationKind.Error when actual.Kind == ExpectationKind.Error:
                // The harness's time box raises U1001 for both depth and time; the engine says U1002 for time.
                var sameCode = actual.Code == expected.Code || (timeBoxed && expected.Code == "U1001" && actual.Code == "U1002");
                if (!sameCode)
                {
                    return $"expected error {expected.Code}, got {actual.Describe()}";
                }

                if (expected.Message != null && expected.Message != actual.Message)
                {
                    return $"expected error {expected.Code} with the message \"{expected.Message}\", got {actual.Describe()}";
                }

                return !checkToken || expected.Token == null || expected.Token == actual.Token ? null : $"expected error {expected.Code} at token {expected.Token}, got token {actual.Token}";
            default:
                var wanted = expected.Kind switch
                {
                    ExpectationKind.Value => Outcome.Shorten(expected.Value?.ToJsonString() ?? "null"),
                    ExpectationKind.Undefined => "undefined",
                    _ => $"error {expected.Code}",
                };
                return $"expected {wanted}, got {actual.Describe()}";
        }
    }

    // "unordered": the same items, each as often, in any order.
    private static bool SameItems(JsonArray expected, JsonArray actual)
    {
        var left = actual.ToList();
        foreach (var item in expected)
        {
            var at = left.FindIndex(x => JsonEquals(item, x));
            if (at < 0)
            {
                return false;
            }

            left.RemoveAt(at);
        }

        return left.Count == 0;
    }

    /// <summary>Deep equality of JSON values: numbers by value, objects regardless of key order, arrays in order.</summary>
    public static bool JsonEquals(JsonNode? a, JsonNode? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (JsonObject x, JsonObject y):
                return x.Count == y.Count && x.All(kv => y.TryGetPropertyValue(kv.Key, out var other) && JsonEquals(kv.Value, other));
            case (JsonArray x, JsonArray y):
                return x.Count == y.Count && x.Zip(y).All(p => JsonEquals(p.First, p.Second));
            case (JsonValue x, JsonValue y):
                var kindX = x.GetValueKind();
                var kindY = y.GetValueKind();
                if (kindX == System.Text.Json.JsonValueKind.Number && kindY == System.Text.Json.JsonValueKind.Number)
                {
                    return x.GetValue<double>().Equals(y.GetValue<double>());
                }

                return kindX == kindY && JsonNode.DeepEquals(x, y);
            default:
                return false;
        }
    }
}
