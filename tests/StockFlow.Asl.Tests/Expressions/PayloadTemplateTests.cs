using System.Text.Json.Nodes;
using StockFlow.Asl.Expressions;

namespace StockFlow.Asl.Tests.Expressions;

public class PayloadTemplateTests
{
    private static readonly PayloadScope Scope = new(
        Json.Parse("""{"symbol":"AAPL","dates":{"from":"2024-01-01"},"items":[1,2]}"""),
        Json.Parse("""{"Map":{"Item":{"Index":3}}}"""),
        new Dictionary<string, JsonNode?> { ["bucket"] = JsonValue.Create("lake") });

    [Fact]
    public void Dynamic_keys_are_evaluated_and_lose_the_suffix_static_values_are_copied() =>
        Json.Equal("""{"Symbol":"AAPL","Kind":"daily","From":"2024-01-01","Index":3,"Bucket":"lake"}""",
            PayloadTemplate.Evaluate(Json.Parse("""
                {"Symbol.$":"$.symbol","Kind":"daily","From.$":"$.dates.from","Index.$":"$$.Map.Item.Index","Bucket.$":"$bucket"}
                """), Scope));

    [Fact]
    public void Nested_objects_and_arrays_are_evaluated_recursively() =>
        Json.Equal("""{"a":{"b":"AAPL"},"list":[{"c":[1,2]},"lit"]}""",
            PayloadTemplate.Evaluate(Json.Parse("""{"a":{"b.$":"$.symbol"},"list":[{"c.$":"$.items"},"lit"]}"""), Scope));

    [Fact]
    public void Intrinsic_values_are_evaluated() =>
        Json.Equal("""{"key":"raw/AAPL.csv"}""",
            PayloadTemplate.Evaluate(Json.Parse("""{"key.$":"States.Format('raw/{}.csv', $.symbol)"}"""), Scope));

    [Fact]
    public void Static_strings_that_look_like_paths_stay_literal() =>
        Json.Equal("""{"p":"$.symbol"}""", PayloadTemplate.Evaluate(Json.Parse("""{"p":"$.symbol"}"""), Scope));

    [Fact]
    public void Template_is_not_modified_and_result_is_independent()
    {
        var template = Json.Parse("""{"x":{"y":1}}""");
        var result = PayloadTemplate.Evaluate(template, Scope)!;
        result["x"]!["y"] = 2;
        Json.Equal("""{"x":{"y":1}}""", template);
    }

    [Fact]
    public void Missing_path_is_a_runtime_error_naming_the_field_and_input()
    {
        var e = Assert.Throws<StatesErrorException>(() =>
            PayloadTemplate.Evaluate(Json.Parse("""{"x.$":"$.nope"}"""), Json.Scope("""{"a":1}""")));
        Assert.Equal(StatesErrors.Runtime, e.Error);
        Assert.Equal("""The JSONPath '$.nope' specified for the field 'x.$' could not be found in the input '{"a":1}'""", e.Cause);
    }

    [Fact]
    public void Dynamic_value_must_be_a_string() =>
        Assert.Equal(StatesErrors.Runtime,
            Assert.Throws<StatesErrorException>(() => PayloadTemplate.Evaluate(Json.Parse("""{"x.$":5}"""), Scope)).Error);

    [Fact]
    public void Same_field_static_and_dynamic_is_an_error() =>
        Assert.Throws<StatesErrorException>(() => PayloadTemplate.Evaluate(Json.Parse("""{"x":1,"x.$":"$.symbol"}"""), Scope));

    [Fact]
    public void Scalar_and_null_templates_pass_through()
    {
        Json.Equal("7", PayloadTemplate.Evaluate(Json.Parse("7"), Scope));
        Assert.Null(PayloadTemplate.Evaluate(null, Scope));
    }
}
