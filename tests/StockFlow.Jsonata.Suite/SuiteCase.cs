using System.Text.Json.Nodes;

namespace StockFlow.Jsonata.Suite;

/// <summary>
/// One case of the suite, read as jsonata-js's own harness (test/run-test-suite.js) reads it.
/// </summary>
/// <param name="Id">group/file for a file with one case, group/file[i] for the i-th case of a file holding an array.</param>
/// <param name="Expression">The expression (from <c>expr</c>, or the text of <c>expr-file</c>).</param>
/// <param name="InputJson">The input as JSON text (<c>data</c> or the named dataset); null when the input is undefined.</param>
/// <param name="Bindings">Variables (name to value), or null.</param>
/// <param name="Expected">What the evaluation must give.</param>
/// <param name="TimeLimitMs">With <paramref name="Depth"/>: the harness's time box (both exceeded limits raise U1001 there).</param>
/// <param name="Depth">With <paramref name="TimeLimitMs"/>: the deepest evaluation nesting the harness allows.</param>
/// <param name="Unordered">The case says the items of the resulting array may come in any order.</param>
public sealed record SuiteCase(
    string Id,
    string Group,
    string Expression,
    string? InputJson,
    JsonObject? Bindings,
    Expectation Expected,
    int? TimeLimitMs,
    int? Depth,
    bool Unordered = false);

/// <summary>The outcome a case expects; exactly one of a value, undefined, or an error code.</summary>
/// <param name="Kind">Which outcome.</param>
/// <param name="Value">The expected value (JSON), for <see cref="ExpectationKind.Value"/>.</param>
/// <param name="Code">The expected error code, for <see cref="ExpectationKind.Error"/>.</param>
/// <param name="Token">The token the error must name, when the case says so.</param>
/// <param name="Message">The message the error must have, when the case says so.</param>
public sealed record Expectation(ExpectationKind Kind, JsonNode? Value, string? Code, string? Token, string? Message = null);

/// <summary>The three outcomes a case can expect.</summary>
public enum ExpectationKind
{
    /// <summary>A defined result, compared by deep equality.</summary>
    Value,

    /// <summary>No result (JSONata's undefined).</summary>
    Undefined,

    /// <summary>An error with a given code.</summary>
    Error,
}
