using StockFlow.Asl;
using StockFlow.Asl.Mocking;

namespace StockFlow.Runtime.Local.Bindings;

/// <summary>Puts a Step Functions Local mock configuration in front of the local bindings.</summary>
public static class MockInvokers
{
    /// <summary>Answers Tasks from the mock configuration's test case, and passes the Tasks it does not mock to <paramref name="inner"/>.</summary>
    /// <param name="mockConfigJson">The mock configuration (Step Functions Local's <c>MockConfigFile.json</c> format).</param>
    /// <param name="stateMachineName">The state machine entry in the configuration.</param>
    /// <param name="testCase">The test case to use; required.</param>
    /// <param name="inner">What answers the Tasks the test case does not mock.</param>
    /// <exception cref="ArgumentException"><paramref name="testCase"/> is null.</exception>
    public static ITaskInvoker Create(string mockConfigJson, string stateMachineName, string? testCase, ITaskInvoker inner)
    {
        var configuration = MockConfiguration.Parse(mockConfigJson);
        return new MockTaskInvoker(configuration, stateMachineName, testCase ?? throw new ArgumentException("--mock-config needs --test-case."), inner);
    }
}
