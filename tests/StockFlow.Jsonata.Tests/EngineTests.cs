using System.Text.Json.Nodes;

namespace StockFlow.Jsonata.Tests;

public class EngineTests
{
    private static object? Eval(string expression, string? inputJson = null)
        => JsonataExpression.Compile(expression).Evaluate(inputJson == null ? null : JsonText.Parse(inputJson));

    private static string Json(string expression, string? inputJson = null) => JsonText.Stringify(Eval(expression, inputJson));

    [Theory]
    [InlineData("1e21", "1e+21")]
    [InlineData("0.1 + 0.2", "0.30000000000000004")]
    [InlineData("10 / 2", "5")]
    [InlineData("1 / 3", "0.3333333333333333")]
    [InlineData("123456789 * 1000000000000", "123456789000000000000")]
    [InlineData("1e-7", "1e-7")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("-1.5e300 * 10", "-1.5e+301")]
    [InlineData("$string(0.1 + 0.2)", "\"0.3\"")]
    public void Numbers_print_as_JavaScript_prints_them(string expression, string expected)
        => Assert.Equal(expected, Json(expression));

    [Fact]
    public void Undefined_and_null_are_different()
    {
        Assert.Null(Eval("missing", "{}"));
        Assert.IsType<JsonNull>(Eval("present", "{\"present\": null}"));
        Assert.Equal("{\"a\":null}", Json("{\"a\": present, \"b\": missing}", "{\"present\": null}"));
    }

    [Fact]
    public void Errors_carry_code_position_and_message()
    {
        var e = Assert.Throws<JsonataException>(() => Eval("1 + \"a\""));
        Assert.Equal("T2002", e.Code);
        Assert.Equal(3, e.Position);
        Assert.Equal("The right side of the \"+\" operator must evaluate to a number", e.Message);

        var syntax = Assert.Throws<JsonataException>(() => JsonataExpression.Compile("foo]"));
        Assert.Equal("S0201", syntax.Code);
        Assert.Equal(4, syntax.Position);

        var key = Assert.Throws<JsonataException>(() => Eval("{1: 2}"));
        Assert.Equal("T1003", key.Code);
        Assert.Contains("got: 1", key.Message, StringComparison.Ordinal);

        var cast = Assert.Throws<JsonataException>(() => Eval("$number(\"x1\")"));
        Assert.Equal("D3030", cast.Code);
        Assert.Equal("Unable to cast value to a number: \"x1\"", cast.Message);
    }

    [Fact]
    public void Runaway_recursion_stops_with_U1001()
    {
        var e = Assert.Throws<JsonataException>(() => Eval("($f := function($n){ $n + $f($n + 1) }; $f(1))"));
        Assert.Equal("U1001", e.Code);
        Assert.Contains("recursive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tail_calls_run_in_constant_depth()
        => Assert.Equal("50005000", Json("($s := function($n, $acc){ $n = 0 ? $acc : $s($n - 1, $acc + $n) }; $s(10000, 0))"));

    [Fact]
    public void Endless_loop_stops_with_U1002_at_the_time_limit()
    {
        var expression = JsonataExpression.Compile("($loop := function($n){ $loop($n + 1) }; $loop(0))");
        var e = Assert.Throws<JsonataException>(() =>
            expression.Evaluate(null, options: new JsonataOptions { TimeLimit = TimeSpan.FromMilliseconds(200) }));
        Assert.Equal("U1002", e.Code);
        Assert.Contains("timeout", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Depth_limit_is_configurable()
    {
        var expression = JsonataExpression.Compile("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(50))");
        Assert.Equal(50d, expression.Evaluate(null));
        var e = Assert.Throws<JsonataException>(() => expression.Evaluate(null, options: new JsonataOptions { MaxDepth = 40 }));
        Assert.Equal("U1001", e.Code);
    }

    [Fact]
    public void Bindings_are_read_as_variables()
    {
        var bindings = new Dictionary<string, object?> { ["rate"] = 2d, ["names"] = JsonText.Parse("[\"a\",\"b\"]") };
        var result = JsonataExpression.Compile("$names ~> $map(function($n, $i){ $n & ($i * $rate) })").Evaluate(null, bindings);
        Assert.Equal("[\"a0\",\"b2\"]", JsonText.Stringify(result));
    }

    [Fact]
    public void Custom_functions_validate_their_signature()
    {
        var twice = JsonataFunction.Create("twice", "<n:n>", 1, args => (double)args[0]! * 2);
        var bindings = new Dictionary<string, object?> { ["twice"] = twice };
        Assert.Equal(42d, JsonataExpression.Compile("$twice(21)").Evaluate(null, bindings));
        var e = Assert.Throws<JsonataException>(() => JsonataExpression.Compile("$twice(\"x\")").Evaluate(null, bindings));
        Assert.Equal("T0410", e.Code);
    }

    [Fact]
    public void Now_and_millis_use_one_timestamp_per_evaluation()
    {
        var now = new DateTimeOffset(2024, 2, 29, 12, 30, 15, 250, TimeSpan.Zero);
        var result = JsonataExpression.Compile("[$now(), $millis(), $now('[D1o] [MNn] [Y]')]").Evaluate(null, now: now);
        Assert.Equal("[\"2024-02-29T12:30:15.250Z\",1709209815250,\"29th February 2024\"]", JsonText.Stringify(result));
    }

    [Fact]
    public void Json_nodes_convert_both_ways()
    {
        var node = JsonNode.Parse("{\"a\":[1,2.5,\"x\",null,true],\"b\":{}}");
        var value = JsonText.FromNode(node);
        var back = JsonText.ToNode(JsonataExpression.Compile("$").Evaluate(value));
        Assert.True(JsonNode.DeepEquals(node, back));
    }

    [Fact]
    public void A_compiled_expression_is_reusable_across_threads()
    {
        var expression = JsonataExpression.Compile("$sum(values.($ * $$.k))");
        Parallel.For(0, 200, i =>
        {
            var input = JsonText.Parse($"{{\"k\": {i}, \"values\": [1, 2, 3]}}");
            Assert.Equal(6d * i, expression.Evaluate(input));
        });
    }
}
