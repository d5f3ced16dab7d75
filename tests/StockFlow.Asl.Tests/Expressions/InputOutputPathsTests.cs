using StockFlow.Asl.Expressions;

namespace StockFlow.Asl.Tests.Expressions;

public class InputOutputPathsTests
{
    private static readonly PayloadScope Scope = Json.Scope("{}", """{"Execution":{"Name":"run-1"}}""");

    [Fact]
    public void Absent_path_keeps_the_value() =>
        Json.Equal("""{"a":1}""", InputOutputPaths.Select(Json.Parse("""{"a":1}"""), null, false, Scope));

    [Fact]
    public void Null_path_gives_an_empty_object() =>
        Json.Equal("{}", InputOutputPaths.Select(Json.Parse("""{"a":1}"""), null, true, Scope));

    [Fact]
    public void Path_selects_from_the_value_not_the_scope_input() =>
        Json.Equal("1", InputOutputPaths.Select(Json.Parse("""{"a":1}"""), "$.a", false, Scope));

    [Fact]
    public void Context_paths_read_the_scope_context() =>
        Json.Equal("\"run-1\"", InputOutputPaths.Select(Json.Parse("{}"), "$$.Execution.Name", false, Scope));

    [Fact]
    public void Indefinite_path_matching_nothing_gives_an_empty_array() =>
        Json.Equal("[]", InputOutputPaths.Select(Json.Parse("""{"a":[]}"""), "$.a[*].b", false, Scope));

    [Fact]
    public void Missing_definite_path_is_a_runtime_error_with_aws_message()
    {
        var e = Assert.Throws<StatesErrorException>(() => InputOutputPaths.Select(Json.Parse("""{"a":1}"""), "$.b.c", false, Scope));
        Assert.Equal(StatesErrors.Runtime, e.Error);
        Assert.Equal("Invalid path '$.b.c' : No results for path: $['b']['c']", e.Cause);
    }

    [Fact]
    public void Invalid_path_syntax_is_a_runtime_error() =>
        Assert.Equal(StatesErrors.Runtime,
            Assert.Throws<StatesErrorException>(() => InputOutputPaths.Select(Json.Parse("{}"), "$.[", false, Scope)).Error);
}
