using System.Text.Json.Nodes;
using StockFlow.Asl.Expressions;

namespace StockFlow.Asl.Tests.Expressions;

public class ChoiceRulesTests
{
    private static readonly PayloadScope Scope = new(
        Json.Parse("""
            {"s":"apple","n":10,"f":1.5,"b":true,"nul":null,"ts":"2024-03-14T01:59:00Z","tsOffset":"2024-03-14T02:59:00+01:00",
             "other":"banana","limit":20,"notTs":"2024-03-14 01:59:00","file":"log-2024.txt","star":"a*b","bs":"a\\b",
             "crawler":{"State":"READY","LastCrawl":{"Status":"SUCCEEDED"}},"list":[]}
            """),
        Json.Parse("""{"Execution":{"Name":"run"}}"""),
        new Dictionary<string, JsonNode?> { ["attempts"] = JsonValue.Create(3) });

    private static bool Match(string rule) => ChoiceRules.Matches(Json.Parse(rule)!.AsObject(), Scope);

    [Theory]
    [InlineData("""{"Variable":"$.s","StringEquals":"apple"}""", true)]
    [InlineData("""{"Variable":"$.s","StringEquals":"Apple"}""", false)]
    [InlineData("""{"Variable":"$.s","StringLessThan":"banana"}""", true)]
    [InlineData("""{"Variable":"$.s","StringGreaterThan":"banana"}""", false)]
    [InlineData("""{"Variable":"$.s","StringLessThanEquals":"apple"}""", true)]
    [InlineData("""{"Variable":"$.s","StringGreaterThanEquals":"apple"}""", true)]
    [InlineData("""{"Variable":"$.s","StringEqualsPath":"$.other"}""", false)]
    [InlineData("""{"Variable":"$.s","StringLessThanPath":"$.other"}""", true)]
    public void String_comparisons(string rule, bool expected) => Assert.Equal(expected, Match(rule));

    [Theory]
    [InlineData("""{"Variable":"$.n","NumericEquals":10}""", true)]
    [InlineData("""{"Variable":"$.n","NumericEquals":10.0}""", true)]
    [InlineData("""{"Variable":"$.f","NumericLessThan":2}""", true)]
    [InlineData("""{"Variable":"$.n","NumericGreaterThan":10}""", false)]
    [InlineData("""{"Variable":"$.n","NumericLessThanEquals":10}""", true)]
    [InlineData("""{"Variable":"$.n","NumericGreaterThanEquals":11}""", false)]
    [InlineData("""{"Variable":"$.n","NumericLessThanPath":"$.limit"}""", true)]
    [InlineData("""{"Variable":"$.n","NumericGreaterThanEqualsPath":"$.limit"}""", false)]
    [InlineData("""{"Variable":"$attempts","NumericGreaterThanEquals":3}""", true)]
    public void Numeric_comparisons(string rule, bool expected) => Assert.Equal(expected, Match(rule));

    [Theory]
    [InlineData("""{"Variable":"$.b","BooleanEquals":true}""", true)]
    [InlineData("""{"Variable":"$.b","BooleanEquals":false}""", false)]
    [InlineData("""{"Variable":"$.b","BooleanEqualsPath":"$.b"}""", true)]
    public void Boolean_comparisons(string rule, bool expected) => Assert.Equal(expected, Match(rule));

    [Theory]
    [InlineData("""{"Variable":"$.ts","TimestampEquals":"2024-03-14T01:59:00Z"}""", true)]
    [InlineData("""{"Variable":"$.ts","TimestampEqualsPath":"$.tsOffset"}""", true)]
    [InlineData("""{"Variable":"$.ts","TimestampLessThan":"2024-03-14T01:59:00.001Z"}""", true)]
    [InlineData("""{"Variable":"$.ts","TimestampGreaterThan":"2024-03-14T03:00:00+02:00"}""", true)]
    [InlineData("""{"Variable":"$.ts","TimestampLessThanEquals":"2024-03-14T01:59:00Z"}""", true)]
    [InlineData("""{"Variable":"$.ts","TimestampGreaterThanEquals":"2024-03-15T00:00:00Z"}""", false)]
    [InlineData("""{"Variable":"$.notTs","TimestampEquals":"2024-03-14T01:59:00Z"}""", false)]
    public void Timestamps_compare_as_instants(string rule, bool expected) => Assert.Equal(expected, Match(rule));

    [Theory]
    [InlineData("""{"Variable":"$.file","StringMatches":"log-*.txt"}""", true)]
    [InlineData("""{"Variable":"$.file","StringMatches":"*.txt"}""", true)]
    [InlineData("""{"Variable":"$.file","StringMatches":"log-*.csv"}""", false)]
    [InlineData("""{"Variable":"$.file","StringMatches":"*"}""", true)]
    [InlineData("""{"Variable":"$.star","StringMatches":"a\\*b"}""", true)]
    [InlineData("""{"Variable":"$.file","StringMatches":"log\\*"}""", false)]
    [InlineData("""{"Variable":"$.bs","StringMatches":"a\\\\b"}""", true)]
    public void StringMatches_wildcards_and_escapes(string rule, bool expected) => Assert.Equal(expected, Match(rule));

    [Theory]
    [InlineData("""{"Variable":"$.s","NumericEquals":1}""")]
    [InlineData("""{"Variable":"$.n","StringEquals":"10"}""")]
    [InlineData("""{"Variable":"$.n","BooleanEquals":true}""")]
    [InlineData("""{"Variable":"$.n","TimestampEquals":"2024-03-14T01:59:00Z"}""")]
    [InlineData("""{"Variable":"$.nul","StringMatches":"*"}""")]
    [InlineData("""{"Variable":"$.n","NumericEqualsPath":"$.s"}""")]
    public void Type_mismatch_is_simply_false(string rule) => Assert.False(Match(rule));

    [Theory]
    [InlineData("IsNull", "$.nul", true)]
    [InlineData("IsNull", "$.s", false)]
    [InlineData("IsPresent", "$.s", true)]
    [InlineData("IsPresent", "$.nul", true)]
    [InlineData("IsPresent", "$.missing", false)]
    [InlineData("IsNumeric", "$.f", true)]
    [InlineData("IsNumeric", "$.s", false)]
    [InlineData("IsString", "$.s", true)]
    [InlineData("IsString", "$.nul", false)]
    [InlineData("IsBoolean", "$.b", true)]
    [InlineData("IsBoolean", "$.n", false)]
    [InlineData("IsTimestamp", "$.ts", true)]
    [InlineData("IsTimestamp", "$.notTs", false)]
    [InlineData("IsTimestamp", "$.n", false)]
    public void Type_tests_and_their_negation(string test, string variable, bool isTrue)
    {
        Assert.Equal(isTrue, Match($$"""{"Variable":"{{variable}}","{{test}}":true}"""));
        Assert.Equal(!isTrue, Match($$"""{"Variable":"{{variable}}","{{test}}":false}"""));
    }

    [Fact]
    public void And_or_not_combine()
    {
        Assert.True(Match("""{"And":[{"Variable":"$.n","NumericEquals":10},{"Variable":"$.s","StringEquals":"apple"}]}"""));
        Assert.False(Match("""{"And":[{"Variable":"$.n","NumericEquals":10},{"Variable":"$.s","StringEquals":"pear"}]}"""));
        Assert.True(Match("""{"Or":[{"Variable":"$.n","NumericEquals":1},{"Variable":"$.s","StringEquals":"apple"}]}"""));
        Assert.True(Match("""{"Not":{"Variable":"$.s","StringEquals":"pear"}}"""));
    }

    [Fact]
    public void Crawler_poll_rule_from_the_pipeline() =>
        Assert.True(Match("""
            {"And":[{"Variable":"$.crawler.State","StringEquals":"READY"},
                    {"Variable":"$.crawler.LastCrawl.Status","StringEquals":"SUCCEEDED"}],"Next":"Transform"}
            """));

    [Fact]
    public void Context_variables_can_be_tested() =>
        Assert.True(Match("""{"Variable":"$$.Execution.Name","StringEquals":"run"}"""));

    [Fact]
    public void Indefinite_variable_matching_nothing_is_an_empty_array_not_an_error() =>
        Assert.False(Match("""{"Variable":"$.list[*]","IsNull":true}"""));

    [Fact]
    public void Missing_variable_is_a_runtime_error_with_aws_message()
    {
        var e = Assert.Throws<StatesErrorException>(() => Match("""{"Variable":"$.missing","StringEquals":"x"}"""));
        Assert.Equal(StatesErrors.Runtime, e.Error);
        Assert.Equal("Invalid path '$.missing': The choice state's condition path references an invalid value.", e.Cause);
    }

    [Fact]
    public void Missing_variable_under_a_type_test_other_than_IsPresent_is_an_error() =>
        Assert.Throws<StatesErrorException>(() => Match("""{"Variable":"$.missing","IsNull":true}"""));

    [Fact]
    public void Missing_comparison_path_is_an_error() =>
        Assert.Throws<StatesErrorException>(() => Match("""{"Variable":"$.n","NumericEqualsPath":"$.missing"}"""));

    [Theory]
    [InlineData("""{"Variable":"$.n"}""")]
    [InlineData("""{"NumericEquals":1}""")]
    [InlineData("""{"Variable":"$.n","NumericEquals":"1"}""")]
    [InlineData("""{"Variable":"$.n","IsNull":"yes"}""")]
    [InlineData("""{"And":[]}""")]
    [InlineData("""{"Not":[]}""")]
    public void Malformed_rules_fail_clearly(string rule) =>
        Assert.Equal(StatesErrors.Runtime, Assert.Throws<StatesErrorException>(() => Match(rule)).Error);
}
