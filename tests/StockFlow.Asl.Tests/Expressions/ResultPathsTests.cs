using StockFlow.Asl.Expressions;

namespace StockFlow.Asl.Tests.Expressions;

public class ResultPathsTests
{
    private const string Input = """{"master":{"detail":[1,2,3]},"n":1}""";

    [Fact]
    public void Absent_result_path_makes_the_result_the_output() =>
        Json.Equal("""{"r":1}""", ResultPaths.Apply(Json.Parse(Input), null, false, Json.Parse("""{"r":1}""")));

    [Fact]
    public void Dollar_replaces_the_input() =>
        Json.Equal("\"x\"", ResultPaths.Apply(Json.Parse(Input), "$", false, Json.Parse("\"x\"")));

    [Fact]
    public void Null_result_path_keeps_the_input_and_discards_the_result() =>
        Json.Equal(Input, ResultPaths.Apply(Json.Parse(Input), null, true, Json.Parse("""{"r":1}""")));

    [Fact]
    public void Result_is_inserted_into_the_input() =>
        Json.Equal("""{"master":{"detail":[1,2,3],"r":"ok"},"n":1}""",
            ResultPaths.Apply(Json.Parse(Input), "$.master.r", false, Json.Parse("\"ok\"")));

    [Fact]
    public void Existing_member_is_overwritten() =>
        Json.Equal("""{"master":{"detail":[1,2,3]},"n":{"x":1}}""",
            ResultPaths.Apply(Json.Parse(Input), "$.n", false, Json.Parse("""{"x":1}""")));

    [Fact]
    public void Missing_objects_are_created() =>
        Json.Equal("""{"master":{"detail":[1,2,3]},"n":1,"a":{"b":{"c":true}}}""",
            ResultPaths.Apply(Json.Parse(Input), "$.a.b.c", false, Json.Parse("true")));

    [Fact]
    public void Array_index_in_range_is_replaced() =>
        Json.Equal("""{"master":{"detail":[1,9,3]},"n":1}""",
            ResultPaths.Apply(Json.Parse(Input), "$.master.detail[1]", false, Json.Parse("9")));

    [Fact]
    public void Input_is_not_modified()
    {
        var input = Json.Parse(Input);
        ResultPaths.Apply(input, "$.x", false, Json.Parse("1"));
        Json.Equal(Input, input);
    }

    [Theory]
    [InlineData("$.n.deeper")]
    [InlineData("$.master.detail.x")]
    [InlineData("$.master.detail[7]")]
    public void Writing_through_a_non_object_is_a_result_path_match_failure(string path)
    {
        var e = Assert.Throws<StatesErrorException>(() => ResultPaths.Apply(Json.Parse(Input), path, false, Json.Parse("1")));
        Assert.Equal(StatesErrors.ResultPathMatchFailure, e.Error);
        Assert.Contains(path, e.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_object_input_cannot_take_a_member() =>
        Assert.Equal(StatesErrors.ResultPathMatchFailure,
            Assert.Throws<StatesErrorException>(() => ResultPaths.Apply(Json.Parse("\"text\""), "$.a", false, Json.Parse("1"))).Error);

    [Theory]
    [InlineData("$.items[*]")]
    [InlineData("$..a")]
    [InlineData("$$.Execution")]
    public void Result_path_must_be_a_reference_path(string path) =>
        Assert.Equal(StatesErrors.ResultPathMatchFailure,
            Assert.Throws<StatesErrorException>(() => ResultPaths.Apply(Json.Parse(Input), path, false, Json.Parse("1"))).Error);
}
