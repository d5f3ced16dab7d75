using StockFlow.Storage;

namespace StockFlow.Storage.Tests;

public sealed class S3UriTests
{
    [Theory]
    [InlineData("s3://lake/results/q.csv", "lake", "results/q.csv")]
    [InlineData("s3://lake/curated/daily_metrics/", "lake", "curated/daily_metrics/")]
    [InlineData("s3://lake", "lake", "")]
    [InlineData("s3://lake/", "lake", "")]
    public void An_s3_uri_splits_into_bucket_and_key(string uri, string bucket, string key)
    {
        Assert.True(S3Uri.TryParse(uri, out var parsedBucket, out var parsedKey));
        Assert.Equal((bucket, key), (parsedBucket, parsedKey));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("s3://")]
    [InlineData("s3:///key")]
    [InlineData("S3://lake/key")]
    [InlineData("https://lake.s3.amazonaws.com/key")]
    [InlineData("lake/key")]
    public void Anything_else_is_not_an_s3_uri(string? uri) =>
        Assert.False(S3Uri.TryParse(uri, out _, out _));

    [Fact]
    public void Format_and_parse_round_trip() =>
        Assert.True(S3Uri.TryParse(S3Uri.Format("lake", "a/b.csv"), out var bucket, out var key) && (bucket, key) == ("lake", "a/b.csv"));
}
