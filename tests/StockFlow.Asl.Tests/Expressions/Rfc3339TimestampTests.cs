using StockFlow.Asl.Expressions;

namespace StockFlow.Asl.Tests.Expressions;

public class Rfc3339TimestampTests
{
    [Theory]
    [InlineData("2016-03-14T01:59:00Z", true)]
    [InlineData("2016-03-14T01:59:00.123456789Z", true)]
    [InlineData("2016-03-14T01:59:00-05:00", true)]
    [InlineData("2016-03-14t01:59:00Z", false)]
    [InlineData("2016-03-14T01:59:00z", false)]
    [InlineData("2016-03-14T01:59:00", false)]
    [InlineData("2016-03-14", false)]
    [InlineData("2016-13-14T01:59:00Z", false)]
    public void Accepts_only_the_asl_profile(string text, bool valid) =>
        Assert.Equal(valid, Rfc3339Timestamp.TryParse(text, out _));

    [Fact]
    public void Offsets_are_normalised_to_the_same_instant()
    {
        Assert.True(Rfc3339Timestamp.TryParse("2016-03-14T01:59:00Z", out var utc));
        Assert.True(Rfc3339Timestamp.TryParse("2016-03-13T20:59:00-05:00", out var local));
        Assert.Equal(utc, local);
    }
}
