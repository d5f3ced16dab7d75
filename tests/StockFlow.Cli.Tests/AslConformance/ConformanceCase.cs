using System.Text.Json.Nodes;

namespace StockFlow.Cli.Tests.AslConformance;

/// <summary>
/// One corpus file: <c>source</c>, <c>definition</c>, <c>input</c>, <c>expected</c> envelope, and optionally
/// <c>mockConfig</c> + <c>testCase</c> (Step Functions Local mocks), <c>lake</c> (objects "bucket/key": text that an
/// ItemReader reads; the run then gets a --data-dir) and extra CLI <c>args</c>.
/// </summary>
/// <c>matchErrorOnly</c>: the source gives the error name but not the exact cause text, so the cause need only be non-empty.
internal sealed record ConformanceCase(string Source, JsonObject Definition, JsonNode? Input, JsonObject Expected, JsonObject? MockConfig, string? TestCase, JsonObject? Lake, string[] ExtraArgs, bool MatchErrorOnly)
{
    /// <summary>True when <paramref name="actual"/> is the expected envelope (or, with MatchErrorOnly, has its status and error and some cause).</summary>
    public bool Matches(JsonNode? actual)
    {
        if (!MatchErrorOnly) return JsonNode.DeepEquals(Expected, actual);
        return actual is JsonObject envelope
            && JsonNode.DeepEquals(Expected["status"], envelope["status"])
            && JsonNode.DeepEquals(Expected["error"], envelope["error"])
            && envelope["cause"] is JsonValue cause && cause.GetValue<string>().Length > 0
            && envelope.Count == 3;
    }

    public static ConformanceCase Load(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
            ?? throw new InvalidDataException($"{path}: a case must be a JSON object.");
        string Required(string field) => json[field]?.GetValue<string>() ?? throw new InvalidDataException($"{path}: '{field}' is missing.");
        return new ConformanceCase(
            Required("source"),
            json["definition"] as JsonObject ?? throw new InvalidDataException($"{path}: 'definition' must be an object."),
            json["input"]?.DeepClone(),
            json["expected"] as JsonObject ?? throw new InvalidDataException($"{path}: 'expected' must be an object."),
            json["mockConfig"] as JsonObject,
            json["testCase"]?.GetValue<string>(),
            json["lake"] as JsonObject,
            json["args"] is JsonArray extra ? extra.Select(a => a!.GetValue<string>()).ToArray() : [],
            json["matchErrorOnly"]?.GetValue<bool>() ?? false);
    }

    /// <summary>Writes the definition, input and mocks into <paramref name="folder"/> and returns the <c>asl run</c> arguments.</summary>
    public string[] Arguments(string folder)
    {
        var definitionPath = Path.Combine(folder, "case.asl.json");
        var inputPath = Path.Combine(folder, "input.json");
        File.WriteAllText(definitionPath, Definition.ToJsonString());
        File.WriteAllText(inputPath, Input?.ToJsonString() ?? "null");
        var args = new List<string> { "asl", "run", definitionPath, "--input", "@" + inputPath };
        if (MockConfig is not null)
        {
            var mockPath = Path.Combine(folder, "mocks.json");
            File.WriteAllText(mockPath, MockConfig.ToJsonString());
            args.AddRange(["--mock-config", mockPath, "--test-case", TestCase ?? throw new InvalidDataException("a case with mockConfig needs testCase")]);
        }

        if (Lake is not null)
        {
            var dataDir = Path.Combine(folder, "data");
            foreach (var (location, content) in Lake)
            {
                var file = Path.Combine(dataDir, "lake", location.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, content!.GetValue<string>());
            }

            args.AddRange(["--data-dir", dataDir]);
        }

        args.AddRange(ExtraArgs);
        return args.ToArray();
    }
}
