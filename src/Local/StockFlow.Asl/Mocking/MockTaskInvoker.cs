using System.Text.Json.Nodes;

namespace StockFlow.Asl.Mocking;

/// <summary>
/// Answers Task states from one test case of a mock configuration, as Step Functions Local does. Each
/// mocked state has its own invocation counter, so retries and polling loops walk through the numbered
/// responses; past the last one the call fails (AWS needs a response for every invocation). States the
/// test case does not mock go to <c>inner</c>, or fail clearly when there is none.
/// Use one instance per execution: the counters are the execution's.
/// </summary>
public sealed class MockTaskInvoker : ITaskInvoker
{
    private readonly MockConfiguration configuration;
    private readonly IReadOnlyDictionary<string, string> mockedStates;
    private readonly ITaskInvoker? inner;
    private readonly Dictionary<string, int> invocations = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <exception cref="KeyNotFoundException">The state machine or test case is not in the configuration.</exception>
    public MockTaskInvoker(MockConfiguration configuration, string stateMachine, string testCase, ITaskInvoker? inner = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        this.configuration = configuration;
        mockedStates = configuration.GetTestCase(stateMachine, testCase);
        StateMachine = stateMachine;
        TestCase = testCase;
        this.inner = inner;
    }

    public string StateMachine { get; }

    public string TestCase { get; }

    /// <summary>How many times the state has been invoked through this mock so far.</summary>
    public int InvocationCount(string stateName)
    {
        lock (gate)
            return invocations.GetValueOrDefault(stateName);
    }

    public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled<JsonNode?>(cancellationToken);
        if (!mockedStates.TryGetValue(invocation.StateName, out var responseName))
        {
            if (inner is not null)
                return inner.InvokeAsync(invocation, cancellationToken);
            return Task.FromException<JsonNode?>(new StatesErrorException(
                StatesErrors.Runtime,
                $"State '{invocation.StateName}' (resource '{invocation.Resource}') has no mocked response in test case '{TestCase}' of state machine '{StateMachine}', and no real task invoker is configured"));
        }

        int number;
        lock (gate)
        {
            number = invocations.GetValueOrDefault(invocation.StateName);
            invocations[invocation.StateName] = number + 1;
        }

        var response = configuration.MockedResponses[responseName];
        return response.ForInvocation(number) switch
        {
            MockedReturn r => Task.FromResult(r.Value?.DeepClone()),
            MockedThrow t => Task.FromException<JsonNode?>(new StatesErrorException(t.Error, t.Cause)),
            _ => Task.FromException<JsonNode?>(new StatesErrorException(
                StatesErrors.Runtime,
                $"State '{invocation.StateName}' was invoked {number + 1} times but mocked response '{responseName}' defines only {response.Outcomes.Count} (invocations 0-{response.Outcomes.Count - 1}); add a response for invocation {number}")),
        };
    }
}
