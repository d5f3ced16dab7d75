using System.Text.Json.Nodes;
using StockFlow.Asl.Expressions;

namespace StockFlow.Asl.Tests.Expressions;

/// <summary>Test helpers: parse JSON text and compare JSON structurally with a readable failure.</summary>
internal static class Json
{
    public static JsonNode? Parse(string json) => JsonNode.Parse(json);

    public static void Equal(string expectedJson, JsonNode? actual)
    {
        var expected = JsonNode.Parse(expectedJson);
        Assert.True(
            JsonValues.DeepEquals(expected, actual),
            $"expected {JsonValues.ToJson(expected)} but got {JsonValues.ToJson(actual)}");
    }

    public static PayloadScope Scope(string input, string? context = null, IReadOnlyDictionary<string, JsonNode?>? variables = null) =>
        new(Parse(input), context is null ? null : Parse(context), variables);
}
