using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace StockFlow.Deploy.Tests.Infra;

/// <summary>The Pulumi YAML program (infra/Main.yaml) read as plain data, with helpers for its expressions.</summary>
internal sealed partial class PulumiProgram
{
    private PulumiProgram(JsonObject root, string text)
    {
        Root = root;
        Text = text;
    }

    public JsonObject Root { get; }

    /// <summary>The file as written (comments are not in the parsed model).</summary>
    public string Text { get; }

    public JsonObject Config => Root["config"]?.AsObject() ?? [];

    public JsonObject Variables => Root["variables"]?.AsObject() ?? [];

    public JsonObject Resources => Root["resources"]?.AsObject() ?? [];

    public JsonObject Outputs => Root["outputs"]?.AsObject() ?? [];

    public static PulumiProgram Load() => Load(RepoPaths.File("infra", "Main.yaml"));

    public static PulumiProgram Load(string path)
    {
        var text = File.ReadAllText(path);
        return new PulumiProgram(ReadYaml(text)!.AsObject(), text);
    }

    public static JsonNode? ReadYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return Convert(stream.Documents[0].RootNode);
    }

    public IEnumerable<(string Name, JsonObject Resource)> ResourcesOfType(string type) =>
        Resources.Where(r => r.Value?["type"]?.GetValue<string>() == type).Select(r => (r.Key, r.Value!.AsObject()));

    public JsonObject Properties(string resource) => Resources[resource]?["properties"]?.AsObject() ?? [];

    /// <summary>Every string in the program (values only), with the path to it.</summary>
    public static IEnumerable<(string Path, string Value)> Strings(JsonNode? node, string path = "")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    foreach (var item in Strings(value, $"{path}/{key}"))
                    {
                        yield return item;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var item in Strings(array[i], $"{path}/{i}"))
                    {
                        yield return item;
                    }
                }

                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                yield return (path, text);
                break;
        }
    }

    /// <summary>The <c>${...}</c> interpolations of a string (a <c>$${</c> is an escaped literal).</summary>
    public static IEnumerable<string> References(string text) =>
        Interpolation().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>The first name of a reference: <c>lakeBucket</c> of <c>lakeBucket.arn</c>.</summary>
    public static string RootName(string reference) => RootOfReference().Match(reference).Value;

    /// <summary>A reference that is the whole string (<c>${x.y}</c>), or null.</summary>
    public static string? WholeReference(string text)
    {
        var match = WholeInterpolation().Match(text);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>The statements of a resource's <c>policy: fn::toJSON: ...</c>.</summary>
    public IEnumerable<JsonObject> PolicyStatements(string resource) =>
        Properties(resource)["policy"]?["fn::toJSON"]?["Statement"]?.AsArray().Select(s => s!.AsObject()) ?? [];

    public static IEnumerable<string> StringOrList(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(a => a!.GetValue<string>()),
        JsonValue value => [value.GetValue<string>()],
        _ => [],
    };

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => scalar.Value is null || (scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is "~" or "null") ? null : JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType}"),
    };

    [GeneratedRegex(@"(?<!\$)\$\{([^}]+)\}")]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"^\$\{([^}]+)\}$")]
    private static partial Regex WholeInterpolation();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_\-]*")]
    private static partial Regex RootOfReference();
}
