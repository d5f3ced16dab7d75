using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StockFlow.Bench.Data;

/// <summary>Writes a run's results as data-stages.md (a table) and data-stages.json, with the machine and the ratios.</summary>
public static class ReportWriter
{
    public static (string Markdown, string Json) Write(string folder, BenchOptions options, BenchRun run)
    {
        Directory.CreateDirectory(folder);
        var machine = MachineInfo.Describe();
        var markdown = Path.Combine(folder, "data-stages.md");
        var json = Path.Combine(folder, "data-stages.json");
        File.WriteAllText(markdown, Markdown(options, run, machine));
        File.WriteAllText(json, Json(options, run, machine).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return (markdown, json);
    }

    private static string Markdown(BenchOptions options, BenchRun run, IReadOnlyDictionary<string, string> machine)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Data-stage benchmark: {options.Symbols} symbols x {options.Years} years\n\n");
        text.Append(CultureInfo.InvariantCulture,
            $"{machine["date_utc"]} UTC; {machine["cpu"]}, {machine["cores"]} cores, {machine["memory_gib"]} GiB; {machine["os"]}; {machine["dotnet"]}.\n");
        text.Append(CultureInfo.InvariantCulture,
            $"Load average (1/5/15 min) at start {run.Facts.GetValueOrDefault("load_average_start")}, at end {run.Facts.GetValueOrDefault("load_average_end")}: the machine is shared, so wall times include waiting for a core.\n\n");
        text.Append("| stage | median s | runs (s) | peak memory | notes |\n|---|---:|---|---:|---|\n");
        foreach (var result in run.Results)
        {
            var runs = string.Join(", ", result.Seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)));
            var peak = result.PeakKb is long kb ? string.Create(CultureInfo.InvariantCulture, $"{kb / 1024} MiB") : "";
            text.Append(CultureInfo.InvariantCulture, $"| {result.Stage} | {result.Median:F2} | {runs} | {peak} | {result.Notes.Replace("|", "/", StringComparison.Ordinal)} |\n");
        }

        text.Append('\n');
        foreach (var fact in run.Facts.Where(f => !f.Key.StartsWith("load_average", StringComparison.Ordinal)))
        {
            text.Append(CultureInfo.InvariantCulture, $"- {fact.Key}: {fact.Value}\n");
        }

        return text.ToString();
    }

    private static JsonObject Json(BenchOptions options, BenchRun run, IReadOnlyDictionary<string, string> machine)
    {
        var machineJson = new JsonObject();
        foreach (var item in machine)
        {
            machineJson[item.Key] = item.Value;
        }

        var facts = new JsonObject();
        foreach (var fact in run.Facts)
        {
            facts[fact.Key] = fact.Value;
        }

        return new JsonObject
        {
            ["symbols"] = options.Symbols,
            ["years"] = options.Years,
            ["repetitions"] = options.Repetitions,
            ["machine"] = machineJson,
            ["facts"] = facts,
            ["stages"] = new JsonArray(run.Results.Select(r => (JsonNode)new JsonObject
            {
                ["stage"] = r.Stage,
                ["median_seconds"] = Math.Round(r.Median, 3),
                ["seconds"] = new JsonArray(r.Seconds.Select(s => (JsonNode)JsonValue.Create(Math.Round(s, 3))).ToArray()),
                ["peak_kb"] = r.PeakKb,
                ["notes"] = r.Notes,
            }).ToArray()),
        };
    }
}
