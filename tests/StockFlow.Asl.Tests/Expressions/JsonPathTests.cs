using System.Text.Json.Nodes;
using StockFlow.Asl.Expressions;

namespace StockFlow.Asl.Tests.Expressions;

public class JsonPathTests
{
    // The Goessner/Jayway "store" document, the usual reference for JSONPath semantics.
    private const string Store = """
        {"store":{"book":[
            {"category":"reference","author":"Nigel Rees","title":"Sayings of the Century","price":8.95},
            {"category":"fiction","author":"Evelyn Waugh","title":"Sword of Honour","price":12.99},
            {"category":"fiction","author":"Herman Melville","title":"Moby Dick","isbn":"0-553-21311-3","price":8.99},
            {"category":"fiction","author":"J. R. R. Tolkien","title":"The Lord of the Rings","isbn":"0-395-19395-8","price":22.99}],
          "bicycle":{"color":"red","price":19.95}},
         "expensive":10, "nothing":null, "my-key":1, "a b":2}
        """;

    private static JsonNode? Eval(string path, string input = Store)
    {
        Assert.True(JsonPath.Parse(path).TryEvaluate(Json.Scope(input), out var value), $"{path} should exist");
        return value;
    }

    [Theory]
    [InlineData("$", true)]
    [InlineData("$.store.book[0].title", true)]
    [InlineData("$['store']['book'][-1]", true)]
    [InlineData("$.store.*", false)]
    [InlineData("$.store.book[*]", false)]
    [InlineData("$.store.book[0:2]", false)]
    [InlineData("$.store.book[0,1]", false)]
    [InlineData("$..price", false)]
    [InlineData("$.store.book[?(@.price < 10)]", false)]
    public void IsDefinite_is_true_only_for_reference_paths(string path, bool definite) =>
        Assert.Equal(definite, JsonPath.Parse(path).IsDefinite);

    [Fact]
    public void Dollar_is_the_whole_input() => Json.Equal("""{"a":1}""", Eval("$", """{"a":1}"""));

    [Fact]
    public void Dot_names_walk_objects() => Json.Equal("\"Sayings of the Century\"", Eval("$.store.book[0].title"));

    [Fact]
    public void Bracket_names_with_either_quote_and_odd_characters() =>
        Json.Equal("2", Eval("$['a b']"));

    [Fact]
    public void Double_quoted_bracket_name() => Json.Equal("\"red\"", Eval("$[\"store\"][\"bicycle\"].color"));

    [Fact]
    public void Dot_followed_by_bracket_is_a_bracket_step() => Json.Equal("2", Eval("$.['a b']"));

    [Fact]
    public void Dot_names_may_contain_dashes() => Json.Equal("1", Eval("$.my-key"));

    [Fact]
    public void Negative_index_counts_from_the_end() => Json.Equal("\"The Lord of the Rings\"", Eval("$.store.book[-1].title"));

    [Fact]
    public void Existing_null_is_found_as_null()
    {
        Assert.True(JsonPath.Parse("$.nothing").TryEvaluate(Json.Scope(Store), out var value));
        Assert.Null(value);
    }

    [Theory]
    [InlineData("$.missing")]
    [InlineData("$.store.book[10]")]
    [InlineData("$.store.book[-10]")]
    [InlineData("$.store.bicycle.color.shade")]
    [InlineData("$.expensive[0]")]
    public void Missing_definite_path_is_not_found(string path) =>
        Assert.False(JsonPath.Parse(path).TryEvaluate(Json.Scope(Store), out _));

    [Fact]
    public void Wildcard_on_array_lists_elements() =>
        Json.Equal("""["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]""", Eval("$.store.book[*].author"));

    [Fact]
    public void Dot_star_on_object_lists_member_values() => Json.Equal("""["red",19.95]""", Eval("$.store.bicycle.*"));

    [Fact]
    public void Wildcard_that_matches_nothing_gives_empty_array() => Json.Equal("[]", Eval("$.store.book[*].missing"));

    [Fact]
    public void Wildcard_under_missing_member_gives_empty_array() => Json.Equal("[]", Eval("$.missing[*]"));

    [Theory]
    [InlineData("$.store.book[0:2].price", "[8.95,12.99]")]
    [InlineData("$.store.book[:2].price", "[8.95,12.99]")]
    [InlineData("$.store.book[-2:].price", "[8.99,22.99]")]
    [InlineData("$.store.book[1:].price", "[12.99,8.99,22.99]")]
    [InlineData("$.store.book[::2].price", "[8.95,8.99]")]
    [InlineData("$.store.book[::-1].price", "[22.99,8.99,12.99,8.95]")]
    [InlineData("$.store.book[5:9].price", "[]")]
    public void Slices_follow_python_semantics(string path, string expected) => Json.Equal(expected, Eval(path));

    [Fact]
    public void Index_union_keeps_the_listed_order() => Json.Equal("[22.99,8.95]", Eval("$.store.book[3,0].price"));

    [Fact]
    public void Name_union_as_last_step_builds_an_object_like_aws() =>
        Json.Equal("""{"color":"red","price":19.95}""", Eval("$.store.bicycle['color','price','missing']"));

    [Fact]
    public void Name_union_before_another_step_is_rejected() =>
        Assert.Throws<JsonPathSyntaxException>(() => JsonPath.Parse("$['a','b'].v"));

    [Fact]
    public void Deep_scan_finds_every_member_with_the_name() =>
        Json.Equal("[8.95,12.99,8.99,22.99,19.95]", Eval("$..price"));

    [Fact]
    public void Deep_scan_with_index() => Json.Equal("""["Nigel Rees"]""", Eval("$..book[0].author"));

    [Fact]
    public void Deep_scan_that_matches_nothing_gives_empty_array() => Json.Equal("[]", Eval("$..nope"));

    [Fact]
    public void Filter_by_string_equality() =>
        Json.Equal("""["Sayings of the Century"]""", Eval("$.store.book[?(@.category == 'reference')].title"));

    [Fact]
    public void Filter_by_number_comparison() =>
        Json.Equal("""["Sayings of the Century","Moby Dick"]""", Eval("$.store.book[?(@.price < 10)].title"));

    [Fact]
    public void Filter_comparing_to_a_root_path() =>
        Json.Equal("[12.99,22.99]", Eval("$.store.book[?(@.price > $.expensive)].price"));

    [Fact]
    public void Filter_by_existence() => Json.Equal("""["Moby Dick","The Lord of the Rings"]""", Eval("$.store.book[?(@.isbn)].title"));

    [Fact]
    public void Filter_with_negation() => Json.Equal("""["Sayings of the Century","Sword of Honour"]""", Eval("$.store.book[?(!@.isbn)].title"));

    [Fact]
    public void Filter_with_and() =>
        Json.Equal("""["Moby Dick"]""", Eval("$.store.book[?(@.category == 'fiction' && @.price < 10)].title"));

    [Fact]
    public void Filter_with_or_and_parentheses() =>
        Json.Equal("""["Sayings of the Century","The Lord of the Rings"]""",
            Eval("$.store.book[?((@.price > 20) || @.category == \"reference\")].title"));

    [Fact]
    public void Filter_not_equal_and_type_strict_equality() =>
        Json.Equal("""[{"v":"1"}]""", Eval("$.items[?(@.v != 1)]", """{"items":[{"v":1},{"v":"1"}]}"""));

    [Fact]
    public void Filter_ordering_across_types_is_false() =>
        Json.Equal("[]", Eval("$.items[?(@.v < 5)]", """{"items":[{"v":"1"},{"v":true}]}"""));

    [Fact]
    public void Filter_on_an_object_tests_the_object_itself_like_jayway() =>
        Json.Equal("""[{"color":"red","price":19.95}]""", Eval("$.store.bicycle[?(@.color == 'red')]"));

    [Fact]
    public void Filter_literals_true_false_null() =>
        Json.Equal("""[{"ok":true,"n":null}]""", Eval("$.x[?(@.ok == true && @.n == null)]", """{"x":[{"ok":true,"n":null},{"ok":false,"n":1}]}"""));

    [Fact]
    public void Context_object_is_read_with_double_dollar()
    {
        var scope = Json.Scope("{}", """{"Execution":{"Id":"arn:1"}}""");
        Assert.True(JsonPath.Parse("$$.Execution.Id").TryEvaluate(scope, out var value));
        Json.Equal("\"arn:1\"", value);
    }

    [Fact]
    public void Variables_are_read_with_dollar_name()
    {
        var vars = new Dictionary<string, JsonNode?> { ["total"] = Json.Parse("""{"n":3}""") };
        var scope = Json.Scope("{}", null, vars);
        var path = JsonPath.Parse("$total.n");
        Assert.Equal(JsonPathRoot.Variable, path.Root);
        Assert.Equal("total", path.VariableName);
        Assert.True(path.TryEvaluate(scope, out var value));
        Json.Equal("3", value);
        Assert.False(JsonPath.Parse("$unknown").TryEvaluate(scope, out _));
    }

    [Fact]
    public void Returned_values_are_clones()
    {
        var input = Json.Parse("""{"a":{"b":1}}""");
        Assert.True(JsonPath.Parse("$.a").TryEvaluate(new PayloadScope(input, null), out var value));
        value!.AsObject()["b"] = 2;
        Json.Equal("""{"a":{"b":1}}""", input);
        Assert.Null(value.Parent);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("a.b", 0)]
    [InlineData("$.", 2)]
    [InlineData("$.a[", 3)]
    [InlineData("$.a[1", 5)]
    [InlineData("$.a['x", 4)]
    [InlineData("$.a b", 3)]
    [InlineData("$.a[?(@.b == )]", 13)]
    [InlineData("$.a[1:2:0]", 8)]
    [InlineData("$.a[(@.length-1)]", 4)]
    public void Syntax_errors_report_the_position(string path, int position)
    {
        var e = Assert.Throws<JsonPathSyntaxException>(() => JsonPath.Parse(path));
        Assert.Equal(position, e.Position);
        Assert.IsAssignableFrom<FormatException>(e);
        Assert.Contains($"position {position}", e.Message, StringComparison.Ordinal);
    }
}
