using System.Text.Json;
using System.Text.Json.Nodes;

namespace StockFlow.Asl.Validation;

/// <summary>
/// Static checks of an ASL (JSONPath) definition, as <c>stockflow asl validate</c> and the interpreter
/// run them before executing. Reports every problem, each with a JSON pointer, never just the first.
/// </summary>
public static class AslValidator
{
    public static IReadOnlyList<AslProblem> Validate(string definitionJson)
    {
        ArgumentNullException.ThrowIfNull(definitionJson);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(definitionJson, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            return [new AslProblem(string.Empty, $"The definition is not valid JSON: {e.Message}")];
        }

        if (root is not JsonObject machine)
            return [new AslProblem(string.Empty, "The definition must be a JSON object with StartAt and States")];

        return Validate(machine);
    }

    public static IReadOnlyList<AslProblem> Validate(JsonObject definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problems = new Problems();
        new MachineValidator(problems).Validate(definition, string.Empty, MachineKind.TopLevel);
        return problems.Items;
    }
}
