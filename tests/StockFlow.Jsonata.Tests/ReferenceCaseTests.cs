using System.Text.Json.Nodes;
using StockFlow.Jsonata.Suite;

namespace StockFlow.Jsonata.Tests;

/// <summary>
/// Our own expressions over our own documents (modelled on the examples of the JSONata documentation), each with
/// the result jsonata-js 2.2 gives: a value, undefined, or an error code.
/// </summary>
public class ReferenceCaseTests
{
    private static readonly Lazy<JsonNode> Corpus = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Cases", "reference-cases.json")))!);

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        var count = Corpus.Value["cases"]!.AsArray().Count;
        for (var i = 0; i < count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Expression_evaluates_as_the_reference_implementation_does(int index)
    {
        var c = Corpus.Value["cases"]![index]!.AsObject();
        var expression = c["expr"]!.GetValue<string>();
        object? input = null;
        if (c["data"] is JsonNode dataName)
        {
            input = JsonText.FromNode(Corpus.Value["datasets"]![dataName.GetValue<string>()]);
        }
        else if (c.ContainsKey("input"))
        {
            input = JsonText.FromNode(c["input"]);
        }

        Dictionary<string, object?>? bindings = null;
        if (c["bindings"] is JsonObject b)
        {
            bindings = b.ToDictionary(kv => kv.Key, kv => JsonText.FromNode(kv.Value));
        }

        if (c["code"] is JsonNode code)
        {
            var error = Assert.Throws<JsonataException>(() => JsonataExpression.Compile(expression).Evaluate(input, bindings));
            Assert.Equal(code.GetValue<string>(), error.Code);
            Assert.False(string.IsNullOrEmpty(error.Message));
            return;
        }

        var result = JsonataExpression.Compile(expression).Evaluate(input, bindings);
        if (c.ContainsKey("undefined"))
        {
            Assert.Null(result);
        }
        else if (c.ContainsKey("function"))
        {
            Assert.IsAssignableFrom<JsonataFunction>(result);
        }
        else
        {
            Assert.NotNull(result);
            var expected = c["result"];
            var actual = JsonNode.Parse(JsonText.Stringify(result));
            Assert.True(
                Judge.JsonEquals(expected, actual),
                $"{expression}: expected {expected?.ToJsonString() ?? "null"}, got {JsonText.Stringify(result)}");
        }
    }
}
