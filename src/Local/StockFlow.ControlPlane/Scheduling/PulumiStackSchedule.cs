using System.Text.Json.Nodes;
using StockFlow.ControlPlane.Hosting;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StockFlow.ControlPlane.Scheduling;

/// <summary>
/// The AWS deployment's schedule read from its Pulumi stack, so <c>stockflow serve</c> starts the pipeline at the
/// times EventBridge Scheduler does, with the same input: <c>scheduleCron</c> (EventBridge's <c>cron(...)</c>),
/// <c>scheduleTimezone</c>, <c>provider</c> and <c>symbols</c> from <c>Pulumi.&lt;stack&gt;.yaml</c>, and where the
/// stack leaves one out, the default the program (<c>infra/Main.yaml</c>) declares for it. One source of truth:
/// the values infra/Main.yaml's <c>dailySchedule</c> is built from.
/// </summary>
internal static class PulumiStackSchedule
{
    public const string CronKey = "scheduleCron";
    public const string TimeZoneKey = "scheduleTimezone";
    public const string ProviderKey = "provider";
    public const string SymbolsKey = "symbols";

    /// <summary>The stack's schedule as <see cref="ScheduleDefinition.FromJson"/> fields: Cron, TimeZone and Input.</summary>
    /// <param name="stackFile">Pulumi.&lt;stack&gt;.yaml, beside the project's Pulumi.yaml.</param>
    /// <exception cref="ControlPlaneConfigurationException">The stack, its project or its program cannot be read, or a value is missing.</exception>
    public static JsonObject Read(string stackFile)
    {
        var stack = Load(stackFile);
        var folder = Path.GetDirectoryName(Path.GetFullPath(stackFile))!;
        var projectFile = Path.Combine(folder, "Pulumi.yaml");
        var project = Load(projectFile);
        var projectName = Scalar(project, "name") ?? throw new ControlPlaneConfigurationException($"{projectFile} has no 'name'.");
        var main = Scalar(project, "main") ?? ".";
        var programFile = Path.Combine(folder, main, "Main.yaml");
        var program = File.Exists(programFile) ? Load(programFile) : null;
        var stackConfig = Child(stack, "config") as YamlMappingNode;
        var declared = program is null ? null : Child(program, "config") as YamlMappingNode;

        YamlNode? Value(string key) =>
            Child(stackConfig, $"{projectName}:{key}") ?? Child(Child(declared, key), "default");

        string Text(string key) => (Value(key) as YamlScalarNode)?.Value is { Length: > 0 } text
            ? text
            : throw new ControlPlaneConfigurationException($"{stackFile} sets no '{projectName}:{key}' and {programFile} declares no default for it.");

        var symbols = Value(SymbolsKey) is YamlSequenceNode list
            ? new JsonArray(list.Children.OfType<YamlScalarNode>().Select(s => (JsonNode?)JsonValue.Create(s.Value)).ToArray())
            : throw new ControlPlaneConfigurationException($"{stackFile} sets no '{projectName}:{SymbolsKey}' list and {programFile} declares no default for it.");

        // The same input infra/Main.yaml's dailySchedule target sends.
        return new JsonObject
        {
            ["Cron"] = Text(CronKey),
            ["TimeZone"] = Text(TimeZoneKey),
            ["Input"] = new JsonObject { ["provider"] = Text(ProviderKey), ["symbols"] = symbols },
        };
    }

    private static YamlMappingNode Load(string path)
    {
        try
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(path))
            {
                stream.Load(reader);
            }

            return stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode
                ?? throw new ControlPlaneConfigurationException($"{path} is not a YAML mapping.");
        }
        catch (IOException ex)
        {
            throw new ControlPlaneConfigurationException($"Cannot read {path}: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ControlPlaneConfigurationException($"Cannot read {path}: {ex.Message}", ex);
        }
        catch (YamlException ex)
        {
            throw new ControlPlaneConfigurationException($"{path} is not valid YAML: {ex.Message}", ex);
        }
    }

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;
}
