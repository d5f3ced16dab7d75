using System.Text.Json.Nodes;
using StockFlow.Asl.Mocking;
using StockFlow.Asl.Tests.Expressions;

namespace StockFlow.Asl.Tests.Mocking;

public class MockTaskInvokerTests
{
    private static readonly MockConfiguration Config = MockConfiguration.Parse(MockConfigurationTests.AwsExample);

    private static TaskInvocation Call(string state) =>
        new(state, "arn:aws:states:::lambda:invoke", new JsonObject(), new JsonObject());

    [Fact]
    public async Task Happy_path_returns_the_mocked_results()
    {
        var invoker = new MockTaskInvoker(Config, "LambdaSQSIntegration", "HappyPath");
        Json.Equal("""{"StatusCode":200,"Payload":{"StatusCode":200,"body":"Hello from Lambda!"}}""",
            await invoker.InvokeAsync(Call("LambdaState"), CancellationToken.None));
        Json.Equal("""{"MD5OfMessageBody":"3bcb6e8e","MessageId":"3bcb6e8e-8b51"}""",
            await invoker.InvokeAsync(Call("SQSState"), CancellationToken.None));
    }

    [Fact]
    public async Task Retries_walk_through_the_numbered_responses()
    {
        var invoker = new MockTaskInvoker(Config, "LambdaSQSIntegration", "RetryPath");
        var first = await Assert.ThrowsAsync<StatesErrorException>(() => invoker.InvokeAsync(Call("LambdaState"), CancellationToken.None));
        Assert.Equal("Lambda.ResourceNotReadyException", first.Error);
        Assert.Equal("Lambda resource is not ready.", first.Cause);
        for (var i = 0; i < 2; i++)
        {
            var timeout = await Assert.ThrowsAsync<StatesErrorException>(() => invoker.InvokeAsync(Call("LambdaState"), CancellationToken.None));
            Assert.Equal("Lambda.TimeoutException", timeout.Error);
        }

        Json.Equal("""{"StatusCode":200,"Payload":{"StatusCode":200,"body":"Hello from Lambda!"}}""",
            await invoker.InvokeAsync(Call("LambdaState"), CancellationToken.None));
        Assert.Equal(4, invoker.InvocationCount("LambdaState"));
    }

    [Fact]
    public async Task Invocation_past_the_last_response_fails_the_call_clearly()
    {
        var invoker = new MockTaskInvoker(Config, "LambdaSQSIntegration", "HappyPath");
        await invoker.InvokeAsync(Call("LambdaState"), CancellationToken.None);
        var e = await Assert.ThrowsAsync<StatesErrorException>(() => invoker.InvokeAsync(Call("LambdaState"), CancellationToken.None));
        Assert.Equal(StatesErrors.Runtime, e.Error);
        Assert.Contains("MockedLambdaSuccess", e.Cause, StringComparison.Ordinal);
        Assert.Contains("invocation 1", e.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counters_are_per_state()
    {
        var invoker = new MockTaskInvoker(Config, "LambdaSQSIntegration", "HappyPath");
        await invoker.InvokeAsync(Call("LambdaState"), CancellationToken.None);
        await invoker.InvokeAsync(Call("SQSState"), CancellationToken.None);
        Assert.Equal(1, invoker.InvocationCount("LambdaState"));
        Assert.Equal(1, invoker.InvocationCount("SQSState"));
    }

    [Fact]
    public async Task Returned_values_are_independent_copies()
    {
        var config = MockConfiguration.Parse("""{"StateMachines":{"sm":{"TestCases":{"c":{"S":"R"}}}},"MockedResponses":{"R":{"0-1":{"Return":{"n":1}}}}}""");
        var invoker = new MockTaskInvoker(config, "sm", "c");
        var first = await invoker.InvokeAsync(Call("S"), CancellationToken.None);
        first!["n"] = 99;
        Json.Equal("""{"n":1}""", await invoker.InvokeAsync(Call("S"), CancellationToken.None));
    }

    [Fact]
    public async Task Unmocked_states_go_to_the_inner_invoker()
    {
        var inner = new RecordingInvoker();
        var invoker = new MockTaskInvoker(Config, "LambdaSQSIntegration", "HybridPath", inner);
        Json.Equal("""{"real":"SQSState"}""", await invoker.InvokeAsync(Call("SQSState"), CancellationToken.None));
        Assert.Equal(["SQSState"], inner.Calls);
        await invoker.InvokeAsync(Call("LambdaState"), CancellationToken.None);
        Assert.Equal(["SQSState"], inner.Calls);
    }

    [Fact]
    public async Task Unmocked_state_without_an_inner_invoker_fails_clearly()
    {
        var invoker = new MockTaskInvoker(Config, "LambdaSQSIntegration", "HybridPath");
        var e = await Assert.ThrowsAsync<StatesErrorException>(() => invoker.InvokeAsync(Call("SQSState"), CancellationToken.None));
        Assert.Equal(StatesErrors.Runtime, e.Error);
        Assert.Contains("'SQSState'", e.Cause, StringComparison.Ordinal);
        Assert.Contains("HybridPath", e.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_test_case_fails_at_construction() =>
        Assert.Throws<KeyNotFoundException>(() => new MockTaskInvoker(Config, "LambdaSQSIntegration", "Nope"));

    [Fact]
    public async Task Cancelled_calls_are_cancelled()
    {
        var invoker = new MockTaskInvoker(Config, "LambdaSQSIntegration", "HappyPath");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => invoker.InvokeAsync(Call("LambdaState"), cts.Token));
        Assert.Equal(0, invoker.InvocationCount("LambdaState"));
    }

    [Fact]
    public async Task Concurrent_calls_each_get_a_distinct_invocation_number()
    {
        var config = MockConfiguration.Parse("""{"StateMachines":{"sm":{"TestCases":{"c":{"S":"R"}}}},"MockedResponses":{"R":{"0-49":{"Return":1}}}}""");
        var invoker = new MockTaskInvoker(config, "sm", "c");
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => invoker.InvokeAsync(Call("S"), CancellationToken.None))));
        Assert.Equal(50, invoker.InvocationCount("S"));
        await Assert.ThrowsAsync<StatesErrorException>(() => invoker.InvokeAsync(Call("S"), CancellationToken.None));
    }

    private sealed class RecordingInvoker : ITaskInvoker
    {
        public List<string> Calls { get; } = [];

        public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
        {
            Calls.Add(invocation.StateName);
            return Task.FromResult<JsonNode?>(new JsonObject { ["real"] = invocation.StateName });
        }
    }
}
