using System.Text.Json.Nodes;

namespace StockFlow.Asl.Execution;

/// <summary>Where a block (top level, branch or iteration) resumes on redrive: the state, its input and the variables it had.</summary>
internal sealed class BlockResume(string stateName, JsonNode? input, IReadOnlyList<KeyValuePair<string, JsonNode?>> variables, StateResume? nested)
{
    public string StateName { get; } = stateName;

    public JsonNode? Input { get; } = input;

    public IReadOnlyList<KeyValuePair<string, JsonNode?>> Variables { get; } = variables;

    /// <summary>For a Map/Parallel state: what its iterations/branches had done.</summary>
    public StateResume? Nested { get; } = nested;
}

/// <summary>Per iteration index (Map) or branch index (Parallel): finished with an output, or where to resume.</summary>
internal sealed class StateResume(IReadOnlyDictionary<int, ChildResume> children, string? mapRunArn = null)
{
    public IReadOnlyDictionary<int, ChildResume> Children { get; } = children;

    /// <summary>For a Distributed Map: the Map Run the earlier attempt started (its children are in the store).</summary>
    public string? MapRunArn { get; } = mapRunArn;
}

internal sealed class ChildResume(bool succeeded, JsonNode? output, BlockResume? resume)
{
    public bool Succeeded { get; } = succeeded;

    public JsonNode? Output { get; } = output;

    /// <summary>Null with Succeeded false: run the child from its start.</summary>
    public BlockResume? Resume { get; } = resume;
}
