namespace StockFlow.Storage.Tests;

public sealed class S3ServerFixtureTests
{
    [Fact]
    public void A_missing_tool_fails_with_a_message_that_says_what_to_install()
    {
        var error = Assert.Throws<InvalidOperationException>(() => S3ServerFixture.RequireTool("stockflow-no-such-node"));

        Assert.Contains("'stockflow-no-such-node' is not available", error.Message, StringComparison.Ordinal);
        Assert.Contains("Node.js", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_is_found_on_this_machine()
    {
        S3ServerFixture.RequireTool("node");
    }
}
