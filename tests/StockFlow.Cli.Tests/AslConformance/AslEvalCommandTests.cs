using System.Text.Json.Nodes;

namespace StockFlow.Cli.Tests.AslConformance;

/// <summary><c>stockflow asl eval</c>: one expression, one JSON line, exit 0 for a value or undefined and 1 for an error.</summary>
public class AslEvalCommandTests
{
    private static async Task<(int Code, JsonNode? Line, string StdErr)> EvalAsync(params string[] args)
    {
        var (code, stdout, stderr) = await Cli.RunAsync(["asl", "eval", .. args]);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (code, lines.Length == 1 ? JsonNode.Parse(lines[0]) : null, stderr);
    }

    [Fact]
    public async Task A_jsonata_value_is_printed()
    {
        var (code, line, _) = await EvalAsync("--expression", "Account.Order.Product[Price > 30].`Product Name`", "--input",
            """{"Account":{"Order":[{"Product":[{"Product Name":"Bowler Hat","Price":34.45},{"Product Name":"Trilby","Price":21.67}]}]}}""");
        Assert.Equal(0, code);
        Assert.Equal("""{"value":"Bowler Hat"}""", line!.ToJsonString());
    }

    [Fact]
    public async Task Without_input_the_input_is_undefined_not_null()
    {
        var (code, line, _) = await EvalAsync("--expression", "$");
        Assert.Equal(0, code);
        Assert.Equal("""{"undefined":true}""", line!.ToJsonString());

        (code, line, _) = await EvalAsync("--expression", "$ = null", "--input", "null");
        Assert.Equal(0, code);
        Assert.Equal("""{"value":true}""", line!.ToJsonString());
    }

    [Fact]
    public async Task An_error_has_its_code_message_and_position_and_exit_code_1()
    {
        var (code, line, _) = await EvalAsync("--expression", "1 + ");
        Assert.Equal(1, code);
        Assert.Equal("S0207", line!["error"]!["code"]!.GetValue<string>());
        Assert.Equal("Unexpected end of expression", line["error"]!["message"]!.GetValue<string>());
        Assert.Equal(4, line["error"]!["position"]!.GetValue<int>());

        (code, line, _) = await EvalAsync("--expression", "'a' + 1");
        Assert.Equal(1, code);
        Assert.Equal("T2001", line!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_intrinsic_argument_is_AWSs_States_Runtime_with_the_detail_after_it()
    {
        var (code, line, _) = await EvalAsync("--query-language", "jsonpath", "--expression", "States.MathAdd($.a, 1)", "--input", """{"a":"x"}""");
        Assert.Equal(1, code);
        Assert.Equal("States.Runtime", line!["error"]!["code"]!.GetValue<string>());
        Assert.StartsWith("Invalid arguments in States.MathAdd: argument 1 must be a NUMBER", line["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bindings_are_read_as_variables_and_step_functions_functions_are_there()
    {
        var (code, line, _) = await EvalAsync("--expression", "$partition($range(1, $n), 2)", "--bindings", """{"n":5}""");
        Assert.Equal(0, code);
        Assert.Equal("""{"value":[[1,2],[3,4],[5]]}""", line!.ToJsonString());

        (code, line, _) = await EvalAsync("--expression", "$hash($parse('\"abc\"'), 'MD5')");
        Assert.Equal(0, code);
        Assert.Equal("""{"value":"900150983cd24fb0d6963f7d28e17f72"}""", line!.ToJsonString());
    }

    [Fact]
    public async Task Input_and_bindings_can_be_files()
    {
        var folder = Directory.CreateTempSubdirectory("stockflow-eval-");
        try
        {
            var input = Path.Combine(folder.FullName, "input.json");
            var bindings = Path.Combine(folder.FullName, "bindings.json");
            File.WriteAllText(input, """{"prices":[1,2,3]}""");
            File.WriteAllText(bindings, """{"factor":10}""");
            var (code, line, _) = await EvalAsync("--expression", "$sum(prices) * $factor", "--input", "@" + input, "--bindings", "@" + bindings);
            Assert.Equal(0, code);
            Assert.Equal("""{"value":60}""", line!.ToJsonString());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Jsonpath_and_intrinsics_evaluate_as_in_a_jsonpath_state()
    {
        var (code, line, _) = await EvalAsync("--query-language", "jsonpath", "--expression", "$.a[1]", "--input", """{"a":[1,2]}""");
        Assert.Equal(0, code);
        Assert.Equal("""{"value":2}""", line!.ToJsonString());

        (code, line, _) = await EvalAsync("--query-language", "jsonpath", "--expression", "States.ArrayLength($list)", "--bindings", """{"list":[1,2,3]}""");
        Assert.Equal(0, code);
        Assert.Equal("""{"value":3}""", line!.ToJsonString());

        (code, line, _) = await EvalAsync("--query-language", "jsonpath", "--expression", "$.missing", "--input", "{}");
        Assert.Equal(0, code);
        Assert.Equal("""{"undefined":true}""", line!.ToJsonString());
    }

    [Fact]
    public async Task Bad_input_or_bindings_is_one_error_line_and_a_usage_exit_code()
    {
        var (code, stdout, stderr) = await Cli.RunAsync("asl", "eval", "--expression", "1", "--input", "{not json");
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("--input is not valid JSON", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await Cli.RunAsync("asl", "eval", "--expression", "1", "--bindings", "[1]");
        Assert.Equal(2, code);
        Assert.Contains("--bindings must be a JSON object", stderr, StringComparison.Ordinal);
    }
}
