using System.Text.Json.Nodes;

namespace StockFlow.Asl.Expressions;

/// <summary>
/// What a path or intrinsic may read while a state runs: the effective input (<c>$</c>),
/// the context object (<c>$$</c>) and the workflow variables (<c>$name</c>, set by <c>Assign</c>).
/// Owned by the expressions layer (JSONPath, intrinsics, payload templates, Choice rules);
/// the interpreter builds one per evaluation.
/// </summary>
public sealed record PayloadScope(
    JsonNode? Input,
    JsonNode? Context,
    IReadOnlyDictionary<string, JsonNode?>? Variables = null);
