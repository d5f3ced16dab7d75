using System.Text.Json.Nodes;

namespace StockFlow.Asl.Mocking;

/// <summary>What one invocation of a mocked Task does: return a result or throw an error.</summary>
public abstract record MockedOutcome;

public sealed record MockedReturn(JsonNode? Value) : MockedOutcome;

public sealed record MockedThrow(string Error, string Cause) : MockedOutcome;

/// <summary>
/// A named entry of <c>MockedResponses</c>: one outcome per invocation number (0-based), from keys such
/// as <c>"0"</c> and inclusive ranges such as <c>"1-2"</c>. There is no answer past the last number:
/// AWS requires "a mocked response for every invocation" and fails the execution otherwise.
/// </summary>
public sealed class MockedResponse
{
    public MockedResponse(string name, IReadOnlyList<MockedOutcome> outcomes)
    {
        Name = name;
        Outcomes = outcomes;
    }

    public string Name { get; }

    /// <summary>The outcome for invocation 0, 1, 2, ... in order.</summary>
    public IReadOnlyList<MockedOutcome> Outcomes { get; }

    public MockedOutcome? ForInvocation(int invocation) =>
        invocation >= 0 && invocation < Outcomes.Count ? Outcomes[invocation] : null;
}
