using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace StockFlow.Deploy.Tests.Infra;

/// <summary>
/// What EventBridge makes of an S3 event for the landing-upload rule's target: its input transformer
/// (<c>inputPaths</c> of dotted JSON paths, <c>inputTemplate</c> with <c>&lt;name&gt;</c> placeholders; a placeholder
/// outside quotes becomes the value as JSON), applied as EventBridge documents it.
/// </summary>
internal static partial class LandingTrigger
{
    public static JsonObject Transformer(PulumiProgram program)
    {
        var target = program.ResourcesOfType("aws:cloudwatch:EventTarget")
            .Single(t => t.Resource["properties"]!["rule"]!.GetValue<string>() == "${landingUploadRule.name}");
        return target.Resource["properties"]!["inputTransformer"]!.AsObject();
    }

    public static JsonNode Input(PulumiProgram program, JsonNode s3Event)
    {
        var transformer = Transformer(program);
        var values = transformer["inputPaths"]!.AsObject().ToDictionary(p => p.Key, p => Select(s3Event, p.Value!.GetValue<string>()));
        var text = Placeholder().Replace(transformer["inputTemplate"]!.GetValue<string>(),
            m => values.TryGetValue(m.Groups[1].Value, out var value) ? value?.ToJsonString() ?? "null" : throw new InvalidOperationException($"<{m.Groups[1].Value}> is not in inputPaths"));
        try
        {
            return JsonNode.Parse(text)!;
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The input template gives no JSON: {text}", ex);
        }
    }

    private static JsonNode? Select(JsonNode root, string path)
    {
        if (!path.StartsWith("$.", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{path} is not a dotted JSON path from $");
        }

        var node = root;
        foreach (var part in path[2..].Split('.'))
        {
            node = node?[part];
        }

        return node?.DeepClone();
    }

    [GeneratedRegex("<([A-Za-z0-9_.-]+)>")]
    private static partial Regex Placeholder();
}
