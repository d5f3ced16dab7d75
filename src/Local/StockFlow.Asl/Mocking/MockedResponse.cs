using System.Text.Json.Nodes;

namespace StockFlow.Asl.Mocking;

/// <summary>What one invocation of a mocked Task does: return a result or throw an error.</summary>
public abstract record MockedOutcome;

/// <summary>The invocation succeeds with a result (the entry's <c>Return</c>).</summary>
/// <param name="Value">The task's result, as written; each invocation gets its own copy.</param>
public sealed record MockedReturn(JsonNode? Value) : MockedOutcome;

/// <summary>The invocation fails (the entry's <c>Throw</c>), which Retry and Catch see as any task error.</summary>
/// <param name="Error">The error name Retry/Catch match against.</param>
/// <param name="Cause">The cause.</param>
public sealed record MockedThrow(string Error, string Cause) : MockedOutcome;

/// <summary>
/// A named entry of <c>MockedResponses</c>: one outcome per invocation number (0-based), from keys such
/// as <c>"0"</c> and inclusive ranges such as <c>"1-2"</c>. There is no answer past the last number:
/// AWS requires "a mocked response for every invocation" and fails the execution otherwise.
/// </summary>
public sealed class MockedResponse
{
    /// <summary>A response with its outcomes already expanded, one per invocation.</summary>
    /// <param name="name">The entry's key in <c>MockedResponses</c>.</param>
    /// <param name="outcomes">The outcome of invocation 0, 1, 2, ... in order.</param>
    public MockedResponse(string name, IReadOnlyList<MockedOutcome> outcomes)
    {
        Name = name;
        Outcomes = outcomes;
    }

    /// <summary>The entry's key in <c>MockedResponses</c>, which test cases name.</summary>
    public string Name { get; }

    /// <summary>The outcome for invocation 0, 1, 2, ... in order.</summary>
    public IReadOnlyList<MockedOutcome> Outcomes { get; }

    /// <summary>The outcome of the 0-based <paramref name="invocation"/>; null past the last one (or for a negative number).</summary>
    public MockedOutcome? ForInvocation(int invocation) =>
        invocation >= 0 && invocation < Outcomes.Count ? Outcomes[invocation] : null;
}
