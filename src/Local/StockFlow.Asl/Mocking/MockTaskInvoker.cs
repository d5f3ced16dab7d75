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

    /// <summary>A mock for one execution of <paramref name="stateMachine"/> under <paramref name="testCase"/>.</summary>
    /// <param name="configuration">The parsed mock configuration.</param>
    /// <param name="stateMachine">The state machine's name in the configuration.</param>
    /// <param name="testCase">The test case's name under that state machine.</param>
    /// <param name="inner">Runs the Task states the test case does not mock; null makes them fail.</param>
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

    /// <summary>The state machine name in the configuration whose test case this mock plays.</summary>
    public string StateMachine { get; }

    /// <summary>The test case that says which Task states are mocked and with which responses.</summary>
    public string TestCase { get; }

    /// <summary>How many times the state has been invoked through this mock so far.</summary>
    public int InvocationCount(string stateName)
    {
        lock (gate)
            return invocations.GetValueOrDefault(stateName);
    }

    /// <summary>
    /// Answers with the state's next numbered response: its <c>Return</c> value, or its <c>Throw</c> as a
    /// <see cref="StatesErrorException"/>. An unmocked state goes to the inner invoker; without one, and past the last
    /// response, the call fails with <c>States.Runtime</c>.
    /// </summary>
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
