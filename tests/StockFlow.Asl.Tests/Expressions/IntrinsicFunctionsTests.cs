using System.Text.Json.Nodes;
using StockFlow.Asl.Expressions;

namespace StockFlow.Asl.Tests.Expressions;

/// <summary>Expected values are the AWS developer guide's examples for each intrinsic function.</summary>
public class IntrinsicFunctionsTests
{
    private static readonly PayloadScope Scope = Json.Scope("""
        {"name":"Arnav","nums":[1,2,3,4,5,6,7,8,9],"dups":[1,2,3,3,3,3,3,3,4],
         "escaped":"{\"foo\": \"bar\"}","obj":{"foo":"bar"},"tpl":"{} and {}",
         "json1":{"a":{"a1":1,"a2":2},"b":2},"json2":{"a":{"a3":1,"a4":2},"c":3},"half":1.5,"text":"a"}
        """);

    private static JsonNode? Eval(string expression) => IntrinsicFunctions.Evaluate(expression, Scope);

    /// <summary>AWS (recorded executions): bad intrinsic arguments are States.Runtime, "Invalid arguments in States.X".</summary>
    private static StatesErrorException Fails(string expression)
    {
        var e = Assert.Throws<StatesErrorException>(() => Eval(expression));
        Assert.Equal(StatesErrors.Runtime, e.Error);
        return e;
    }

    /// <summary>The detail of a bad argument, kept inside the exception (AWS's cause names only the function).</summary>
    private static string Detail(StatesErrorException e) => Assert.IsType<IntrinsicArgumentException>(e.InnerException).Message;

    [Theory]
    [InlineData("States.MathAdd('1', 2)", "States.MathAdd")]
    [InlineData("States.StringToJson('{nope')", "States.StringToJson")]
    [InlineData("States.ArrayGetItem($.nums, 9)", "States.ArrayGetItem")]
    [InlineData("States.ArrayPartition($.nums, 0)", "States.ArrayPartition")]
    [InlineData("States.ArrayRange('a', 5, 1)", "States.ArrayRange")]
    public void Bad_arguments_are_worded_as_AWS_words_them(string expression, string function) =>
        Assert.Equal("Invalid arguments in " + function, Fails(expression).Cause);

    [Theory]
    [InlineData("States.Format('x')", true)]
    [InlineData("  States.UUID()", true)]
    [InlineData("$.States", false)]
    [InlineData("States", false)]
    public void IsIntrinsic_recognises_calls(string expression, bool expected) =>
        Assert.Equal(expected, IntrinsicFunctions.IsIntrinsic(expression));

    [Fact]
    public void Format_interpolates_in_order() =>
        Json.Equal("\"Hello, my name is Arnav.\"", Eval("States.Format('Hello, my name is {}.', $.name)"));

    [Fact]
    public void Format_writes_numbers_booleans_and_null_as_json() =>
        Json.Equal("\"1 1.5 true null\"", Eval("States.Format('{} {} {} {}', 1, $.half, true, null)"));

    [Fact]
    public void Format_honours_escaped_braces_quotes_and_backslashes() =>
        Json.Equal("""  "{literal} it's \\ Arnav"  """.Trim(), Eval("States.Format('\\{literal\\} it\\'s \\\\ {}', $.name)"));

    [Fact]
    public void Format_template_may_come_from_a_path() =>
        Json.Equal("\"a and b\"", Eval("States.Format($.tpl, 'a', 'b')"));

    [Fact]
    public void Format_with_wrong_argument_count_fails()
    {
        Fails("States.Format('{} {}', 'a')");
        Fails("States.Format('{}', 'a', 'b')");
    }

    [Fact]
    public void Format_rejects_objects() => Fails("States.Format('{}', $.obj)");

    [Fact]
    public void StringToJson_parses() => Json.Equal("""{"foo":"bar"}""", Eval("States.StringToJson($.escaped)"));

    [Fact]
    public void StringToJson_rejects_invalid_json() => Fails("States.StringToJson('{nope')");

    [Fact]
    public void JsonToString_serialises_compactly() => Json.Equal("\"{\\\"foo\\\":\\\"bar\\\"}\"", Eval("States.JsonToString($.obj)"));

    [Fact]
    public void Array_collects_arguments() =>
        Json.Equal("""["Foo",2020,{"foo":"bar"},null]""", Eval("States.Array('Foo', 2020, $.obj, null)"));

    [Fact]
    public void Empty_array() => Json.Equal("[]", Eval("States.Array()"));

    [Fact]
    public void ArrayPartition_chunks() => Json.Equal("[[1,2,3,4],[5,6,7,8],[9]]", Eval("States.ArrayPartition($.nums, 4)"));

    [Fact]
    public void ArrayPartition_needs_a_positive_size() => Fails("States.ArrayPartition($.nums, 0)");

    [Fact]
    public void ArrayContains() =>
        Assert.True(Eval("States.ArrayContains($.nums, 5)")!.GetValue<bool>());

    [Fact]
    public void ArrayContains_compares_structurally() =>
        Assert.True(Eval("States.ArrayContains(States.Array($.obj), $.obj)")!.GetValue<bool>());

    [Theory]
    [InlineData("States.ArrayRange(1, 9, 2)", "[1,3,5,7,9]")]
    [InlineData("States.ArrayRange(0, 10, 3)", "[0,3,6,9]")]
    [InlineData("States.ArrayRange(5, 1, -2)", "[5,3,1]")]
    [InlineData("States.ArrayRange(1, 9, -1)", "[]")]
    public void ArrayRange_is_inclusive(string expression, string expected) => Json.Equal(expected, Eval(expression));

    [Fact]
    public void ArrayRange_limits_to_1000_items_and_rejects_zero_step()
    {
        Json.Equal("1000", Eval("States.ArrayLength(States.ArrayRange(1, 1000, 1))"));
        Fails("States.ArrayRange(1, 1001, 1)");
        Fails("States.ArrayRange(1, 5, 0)");
    }

    [Fact]
    public void Non_integer_counts_are_rounded_to_the_nearest_integer_as_aws_documents()
    {
        Json.Equal("[2,3,4,5]", Eval("States.ArrayRange(1.5, 5, 1)"));
        Json.Equal("[[1,2,3],[4,5,6],[7,8,9]]", Eval("States.ArrayPartition($.nums, 2.6)"));
        Json.Equal("0", Eval("States.MathRandom(0.4, 1.4)"));
    }

    [Fact]
    public void Up_to_ten_nested_calls_are_allowed()
    {
        var ten = string.Concat(Enumerable.Repeat("States.Array(", 10)) + "1" + new string(')', 10);
        Json.Equal("[[[[[[[[[[1]]]]]]]]]]", Eval(ten));
        var eleven = "States.Array(" + ten + ")";
        Assert.Contains("nested", IntrinsicFunctions.ValidateSyntax(eleven), StringComparison.Ordinal);
    }

    [Fact]
    public void Path_arguments_may_use_the_documented_dot_bracket_form() =>
        Json.Equal("\"bar\"", IntrinsicFunctions.Evaluate("States.Format('{}', $.abc.['def ghi'])", Json.Scope("""{"abc":{"def ghi":"bar"}}""")));

    [Fact]
    public void Hash_of_a_non_string_hashes_its_json_text() =>
        Json.Equal(Eval("States.Hash('{\\}', 'MD5')")!.ToJsonString(), Eval("States.Hash(States.StringToJson('{}'), 'MD5')"));

    [Fact]
    public void ArrayGetItem() => Json.Equal("6", Eval("States.ArrayGetItem($.nums, 5)"));

    [Fact]
    public void ArrayGetItem_out_of_range_fails() => Assert.Contains("out of bounds", Detail(Fails("States.ArrayGetItem($.nums, 9)")), StringComparison.Ordinal);

    [Fact]
    public void ArrayLength() => Json.Equal("9", Eval("States.ArrayLength($.nums)"));

    [Fact]
    public void ArrayUnique_keeps_first_occurrences() => Json.Equal("[1,2,3,4]", Eval("States.ArrayUnique($.dups)"));

    [Fact]
    public void Base64_round_trip()
    {
        Json.Equal("\"RGF0YSB0byBlbmNvZGU=\"", Eval("States.Base64Encode('Data to encode')"));
        Json.Equal("\"Data to encode\"", Eval("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')"));
    }

    [Fact]
    public void Base64Decode_rejects_bad_input() => Fails("States.Base64Decode('@@@')");

    [Fact]
    public void Base64Encode_limits_input_to_10000_characters() =>
        Assert.Throws<StatesErrorException>(() =>
            IntrinsicFunctions.Evaluate("States.Base64Encode($.s)", new PayloadScope(new JsonObject { ["s"] = new string('x', 10001) }, null)));

    [Theory]
    [InlineData("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7")]
    [InlineData("MD5", "812f45842bc6d66ee14572ce20db8e86")]
    public void Hash(string algorithm, string expected) =>
        Json.Equal($"\"{expected}\"", Eval($"States.Hash('input data', '{algorithm}')"));

    [Fact]
    public void Hash_rejects_unknown_algorithms() => Fails("States.Hash('x', 'SHA-3')");

    [Fact]
    public void JsonMerge_is_shallow() =>
        Json.Equal("""{"a":{"a3":1,"a4":2},"b":2,"c":3}""", Eval("States.JsonMerge($.json1, $.json2, false)"));

    [Fact]
    public void JsonMerge_refuses_deep_mode() => Fails("States.JsonMerge($.json1, $.json2, true)");

    [Fact]
    public void MathRandom_stays_in_range_and_is_repeatable_with_a_seed()
    {
        for (var i = 0; i < 50; i++)
        {
            var n = Eval("States.MathRandom(1, 5)")!.GetValue<int>();
            Assert.InRange(n, 1, 4);
        }

        Assert.Equal(Eval("States.MathRandom(1, 999, 7)")!.GetValue<int>(), Eval("States.MathRandom(1, 999, 7)")!.GetValue<int>());
        Fails("States.MathRandom(5, 5)");
    }

    [Theory]
    [InlineData("States.MathAdd(111, -1)", "110")]
    [InlineData("States.MathAdd($.half, 0)", "2")]
    [InlineData("States.MathAdd(2.5, 0)", "3")]
    [InlineData("States.MathAdd(-1.5, 0)", "-1")]
    [InlineData("States.MathAdd(1.4, 1.4)", "2")]
    public void MathAdd_rounds_half_up_like_java_before_adding(string expression, string expected) =>
        Json.Equal(expected, Eval(expression));

    [Fact]
    public void MathAdd_rejects_non_numbers_and_out_of_range()
    {
        Fails("States.MathAdd('1', 2)");
        Fails("States.MathAdd(2147483648, 0)");
    }

    [Theory]
    [InlineData("States.StringSplit('1,2,3,4,5', ',')", """["1","2","3","4","5"]""")]
    [InlineData("States.StringSplit('This.is+a,test=string', '.+,=')", """["This","is","a","test","string"]""")]
    [InlineData("States.StringSplit('a,,b,', ',')", """["a","b"]""")]
    public void StringSplit_splits_on_any_delimiter_character_and_drops_empty_pieces(string expression, string expected) =>
        Json.Equal(expected, Eval(expression));

    [Fact]
    public void UUID_is_a_version_4_guid()
    {
        var text = Eval("States.UUID()")!.GetValue<string>();
        Assert.True(Guid.TryParse(text, out _));
        Assert.Equal('4', text[14]);
    }

    [Fact]
    public void Calls_nest() =>
        Json.Equal("\"items: 9\"", Eval("States.Format('items: {}', States.ArrayLength($.nums))"));

    [Fact]
    public void Missing_path_argument_fails_clearly() =>
        Assert.Contains("$.missing", Fails("States.ArrayLength($.missing)").Cause, StringComparison.Ordinal);

    [Fact]
    public void Wrong_argument_type_names_the_function() =>
        Assert.Contains("States.ArrayLength", Fails("States.ArrayLength($.name)").Cause, StringComparison.Ordinal);

    [Theory]
    [InlineData("States.Nope(1)", "unknown intrinsic function")]
    [InlineData("States.ArrayLength($.a, 1)", "takes 1 argument")]
    [InlineData("States.Format('a'", "missing ')'")]
    [InlineData("States.Format('a)", "unterminated string")]
    [InlineData("States.Format('\\n')", "escapes")]
    [InlineData("States.Format('a') x", "unexpected text")]
    [InlineData("States.ArrayLength($.a[)", "Invalid JSONPath")]
    [InlineData("States.Array(foo)", "unexpected 'f'")]
    public void Syntax_problems_are_reported_by_the_checker_and_fail_at_run_time(string expression, string problem)
    {
        Assert.Contains(problem, IntrinsicFunctions.ValidateSyntax(expression), StringComparison.Ordinal);
        Assert.Equal(StatesErrors.IntrinsicFailure, Assert.Throws<StatesErrorException>(() => Eval(expression)).Error);
    }

    [Fact]
    public void Valid_syntax_has_no_problem() =>
        Assert.Null(IntrinsicFunctions.ValidateSyntax("States.Format('{} {}', $.a, States.Array(1, -2.5, true, null, $$.x, $v))"));
}
