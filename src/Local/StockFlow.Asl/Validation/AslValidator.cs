using System.Text.Json;
using System.Text.Json.Nodes;

namespace StockFlow.Asl.Validation;

/// <summary>
/// Static checks of an ASL (JSONPath) definition, as <c>stockflow asl validate</c> and the interpreter
/// run them before executing. Reports every problem, each with a JSON pointer, never just the first.
/// </summary>
public static class AslValidator
{
    /// <summary>Checks the definition's text: invalid JSON and duplicate field names are reported (alone) before the rules.</summary>
    /// <param name="definitionJson">The definition as written.</param>
    /// <returns>Every problem found; empty when the definition is valid.</returns>
    public static IReadOnlyList<AslProblem> Validate(string definitionJson)
    {
        ArgumentNullException.ThrowIfNull(definitionJson);
        JsonNode? root;
        try
        {
            using var document = JsonDocument.Parse(definitionJson);
            var duplicates = new List<AslProblem>();
            FindDuplicateKeys(document.RootElement, string.Empty, duplicates);
            if (duplicates.Count > 0)
                return duplicates;
            root = JsonNode.Parse(definitionJson);
        }
        catch (JsonException e)
        {
            return [new AslProblem(string.Empty, $"The definition is not valid JSON: {e.Message}")];
        }

        if (root is not JsonObject machine)
            return [new AslProblem(string.Empty, "The definition must be a JSON object with StartAt and States")];

        return Validate(machine);
    }

    /// <summary>Duplicate member names make a definition ambiguous (and JsonObject refuses them), so they are reported first.</summary>
    private static void FindDuplicateKeys(JsonElement element, string pointer, List<AslProblem> problems)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var child = Problems.Child(pointer, property.Name);
                    if (!seen.Add(property.Name))
                        problems.Add(new AslProblem(child, $"Field '{property.Name}' is defined more than once"));
                    FindDuplicateKeys(property.Value, child, problems);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    FindDuplicateKeys(item, Problems.Child(pointer, index++), problems);
                break;
        }
    }

    /// <summary>Checks a parsed definition against the ASL rules (fields each state type allows, transitions, paths, reachability).</summary>
    /// <param name="definition">The definition's JSON object; it is not changed.</param>
    /// <returns>Every problem found; empty when the definition is valid.</returns>
    public static IReadOnlyList<AslProblem> Validate(JsonObject definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problems = new Problems();
        new MachineValidator(problems).Validate(definition, string.Empty, MachineKind.TopLevel, machineJsonata: false);
        return problems.Items;
    }
}
