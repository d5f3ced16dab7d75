using StockFlow.Asl;
using StockFlow.Asl.Mocking;

namespace StockFlow.Runtime.Local.Bindings;

/// <summary>Puts a Step Functions Local mock configuration in front of the local bindings.</summary>
public static class MockInvokers
{
    public static ITaskInvoker Create(string mockConfigJson, string stateMachineName, string? testCase, ITaskInvoker inner)
    {
        var configuration = MockConfiguration.Parse(mockConfigJson);
        return new MockTaskInvoker(configuration, stateMachineName, testCase ?? throw new ArgumentException("--mock-config needs --test-case."), inner);
    }
}
