using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace StockFlow.Jsonata.Suite;

/// <summary>
/// Reads the suite's folder the way jsonata-js's harness reads <c>groups/&lt;group&gt;/*.json</c> (one case or an array of
/// cases per file; <c>dataset</c> names a file of <c>datasets/</c>, null for an undefined input), and fills in what the
/// code index did not hold from the older layout it also holds (see README.md):
/// <list type="bullet">
/// <item>entry N of a group-level array <c>groups/&lt;group&gt;.json</c> stands for <c>groups/&lt;group&gt;/caseNNN.json</c> when
/// that file is not here (the per-case files were split from those arrays; a per-case file here always wins);
/// its numeric <c>dataset</c> is an index into <c>datasets.json</c> (-1: undefined input);</item>
/// <item>a dataset name without a file is read from <c>datasets.json</c> at the index <c>dataset-aliases.json</c> gives.</item>
/// </list>
/// A case whose input is in neither place is skipped and reported, never guessed.
/// </summary>
public static class SuiteLoader
{
    // Group-level entries whose case moved to another group upstream (the folder's case of that number is a new one).
    private static readonly HashSet<string> Moved = new(StringComparer.Ordinal)
    {
        "function-each.json[1]", "function-each.json[2]",
        "function-sift.json[3]", "function-sift.json[4]", "function-sift.json[5]", "function-sift.json[6]",
    };

    // Group-level files whose group has no per-case folder upstream: the harness never runs them.
    private static readonly HashSet<string> NotRunUpstream = new(StringComparer.Ordinal) { "predicates" };

    /// <summary>The folder the cases are copied to beside the built assembly.</summary>
    public static string DefaultRoot => Path.Combine(AppContext.BaseDirectory, "test-suite");

    /// <summary>Every case under <paramref name="root"/>, ordered by group and file, and the cases that cannot run.</summary>
    public static SuiteContents Load(string root)
    {
        var datasets = new Datasets(root);
        var cases = new List<SuiteCase>();
        var skipped = new List<(string Id, string Reason)>();
        void Add(string id, string group, string folder, JsonObject spec)
        {
            if (datasets.Input(spec, out var input) is { } missing)
            {
                skipped.Add((id, missing));
            }
            else
            {
                cases.Add(Read(id, group, folder, spec, input));
            }
        }

        var groupsFolder = Path.Combine(root, "groups");
        var groups = Directory.EnumerateDirectories(groupsFolder).Select(Path.GetFileName)
            .Concat(Directory.EnumerateFiles(groupsFolder, "*.json").Select(Path.GetFileNameWithoutExtension))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (var group in groups.OfType<string>().Where(g => !NotRunUpstream.Contains(g)))
        {
            var groupFolder = Path.Combine(groupsFolder, group);
            var files = Directory.Exists(groupFolder)
                ? Directory.EnumerateFiles(groupFolder, "*.json").Order(StringComparer.Ordinal).ToList()
                : [];
            foreach (var file in files)
            {
                var name = Path.GetFileNameWithoutExtension(file);
                var spec = JsonNode.Parse(File.ReadAllText(file))
                    ?? throw new InvalidDataException($"{file} holds no test case");
                if (spec is JsonArray array)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        Add($"{group}/{name}[{i}]", group, groupFolder, array[i]!.AsObject());
                    }
                }
                else
                {
                    Add($"{group}/{name}", group, groupFolder, spec.AsObject());
                }
            }

            var groupFile = groupFolder + ".json";
            if (File.Exists(groupFile))
            {
                var entries = JsonNode.Parse(File.ReadAllText(groupFile))!.AsArray();
                var present = files.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
                for (var i = 0; i < entries.Count; i++)
                {
                    var id = $"{group}.json[{i}]";
                    if (!present.Contains($"case{i:D3}.json") && !Moved.Contains(id))
                    {
                        Add(id, group, groupFolder, entries[i]!.AsObject());
                    }
                }
            }
        }

        return new SuiteContents(cases, skipped);
    }

    private static SuiteCase Read(string id, string group, string groupFolder, JsonObject spec, string? input)
    {
        var expression = spec["expr-file"] is JsonNode exprFile
            ? File.ReadAllText(Path.Combine(groupFolder, exprFile.GetValue<string>()))
            : spec["expr"] is JsonNode expr ? StringOf(expr) : throw new InvalidDataException($"{id} has neither expr nor expr-file");

        return new SuiteCase(
            id,
            group,
            expression,
            input,
            spec["bindings"] as JsonObject,
            ReadExpectation(id, spec),
            spec["timelimit"]?.GetValue<int>(),
            spec["depth"]?.GetValue<int>(),
            spec["unordered"]?.GetValue<bool>() == true);
    }

    // A JSON string as JavaScript reads it: a lone surrogate (\ud800) is kept, where System.Text.Json refuses it.
    private static string StringOf(JsonNode node)
    {
        var raw = node.GetValue<System.Text.Json.JsonElement>().GetRawText();
        var text = new StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length - 1; i++)
        {
            if (raw[i] != '\\')
            {
                text.Append(raw[i]);
                continue;
            }

            i++;
            text.Append(raw[i] switch
            {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                'b' => '\b',
                'f' => '\f',
                'u' => (char)int.Parse(raw.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                var c => c,
            });
            if (raw[i] == 'u')
            {
                i += 4;
            }
        }

        return text.ToString();
    }

    // The harness's order: undefinedResult, result, error (its code), code.
    private static Expectation ReadExpectation(string id, JsonObject spec)
    {
        var token = spec["token"]?.GetValue<string>();
        if (spec.ContainsKey("undefinedResult"))
        {
            return new Expectation(ExpectationKind.Undefined, null, null, null);
        }

        if (spec.ContainsKey("result"))
        {
            return new Expectation(ExpectationKind.Value, spec["result"], null, null);
        }

        if (spec["error"] is JsonObject error && error["code"] is JsonNode errorCode)
        {
            return new Expectation(ExpectationKind.Error, null, errorCode.GetValue<string>(), error["token"]?.GetValue<string>() ?? token, error["message"]?.GetValue<string>());
        }

        if (spec["code"] is JsonNode code)
        {
            return new Expectation(ExpectationKind.Error, null, code.GetValue<string>(), token);
        }

        throw new InvalidDataException($"{id} has nothing to test (no result, undefinedResult or code)");
    }
}

/// <summary>The cases that run, and those skipped because their input is not in the copy (id, why).</summary>
public sealed record SuiteContents(IReadOnlyList<SuiteCase> Cases, IReadOnlyList<(string Id, string Reason)> Skipped);

/// <summary>The inputs: datasets/*.json by name, datasets.json (the older list) by index, dataset-aliases.json from one to the other.</summary>
internal sealed class Datasets
{
    private readonly Dictionary<string, string> _named = new(StringComparer.Ordinal);
    private readonly JsonArray _legacy = [];
    private readonly Dictionary<string, int> _aliases = new(StringComparer.Ordinal);

    public Datasets(string root)
    {
        var folder = Path.Combine(root, "datasets");
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
            {
                _named[Path.GetFileNameWithoutExtension(file)] = File.ReadAllText(file);
            }
        }

        var legacy = Path.Combine(root, "datasets.json");
        if (File.Exists(legacy))
        {
            _legacy = JsonNode.Parse(File.ReadAllText(legacy))!.AsArray();
        }

        var aliases = Path.Combine(root, "dataset-aliases.json");
        if (File.Exists(aliases))
        {
            foreach (var (name, index) in JsonNode.Parse(File.ReadAllText(aliases))!.AsObject())
            {
                _aliases[name] = index!.GetValue<int>();
            }
        }
    }

    /// <summary>The case's input as JSON text (null: undefined); returns why not when it is not here.</summary>
    public string? Input(JsonObject spec, out string? input)
    {
        input = null;
        if (spec.ContainsKey("data"))
        {
            input = spec["data"]?.ToJsonString() ?? "null";
            return null;
        }

        switch (spec["dataset"])
        {
            case null:
                return null;
            case JsonValue v when v.TryGetValue<int>(out var index):
                if (index < 0)
                {
                    return null;
                }

                return index < _legacy.Count ? Legacy(index, out input) : $"datasets.json has no entry {index}";
            case var name:
                var key = name.ToString();
                if (_named.TryGetValue(key, out input))
                {
                    return null;
                }

                return _aliases.TryGetValue(key, out var alias) ? Legacy(alias, out input) : $"the dataset {key} is not in the copy";
        }
    }

    private string? Legacy(int index, out string? input)
    {
        input = _legacy[index]?.ToJsonString() ?? "null";
        return null;
    }
}
