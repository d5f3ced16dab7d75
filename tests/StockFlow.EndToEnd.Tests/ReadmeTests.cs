using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using StockFlow.Functions.Plan;

namespace StockFlow.EndToEnd.Tests;

/// <summary>
/// README statements that come from the definition or the configuration defaults drift when those change
/// (the run diagram once said 4 concurrent batches while the definition said 8). These tests read the README
/// and compare.
/// </summary>
public sealed partial class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(FindUp("README.md"));

    [Fact]
    public void Stated_ingest_fan_out_defaults_are_the_plan_defaults()
    {
        var fanOut = new PlanDefaults().FanOut;

        Assert.Equal(fanOut.BatchSize, Number(Readme, @"`Pipeline:IngestBatchSize`, (\d+) by default"));
        Assert.Equal(fanOut.MaxConcurrency, Number(Readme, @"`Pipeline:IngestMaxConcurrency` batches run at once \((\d+)\)"));
        Assert.Equal(fanOut.ToleratedFailurePercentage, Number(Readme, @"`Pipeline:IngestToleratedFailurePercentage` \((\d+) %\)"));
    }

    [Fact]
    public void Configuration_example_shows_the_plan_defaults()
    {
        var fanOut = new PlanDefaults().FanOut;

        Assert.Equal(fanOut.BatchSize, Number(Readme, @"""IngestBatchSize"": (\d+)"));
        Assert.Equal(fanOut.MaxConcurrency, Number(Readme, @"""IngestMaxConcurrency"": (\d+)"));
        Assert.Equal(fanOut.ToleratedFailurePercentage, Number(Readme, @"""IngestToleratedFailurePercentage"": (\d+)"));
    }

    [Fact]
    public void Every_state_of_the_run_diagram_exists_in_the_definition()
    {
        var diagram = RunDiagramStates(Readme);
        var defined = DefinitionStateNames();

        Assert.Contains("PlanIngest", diagram);
        Assert.All(diagram, state => Assert.True(defined.Contains(state),
            $"The README's run diagram names '{state}', which statemachine/pipeline.asl.json does not define."));
    }

    [Fact]
    public void Diagram_reader_rejects_a_state_the_definition_lacks()
    {
        // The check above must be able to fail: a diagram naming an unknown state yields that name.
        var states = RunDiagramStates("## What a run does\n\n```\nPlanIngest ─► NoSuchState (a note) ─► Report\n```\n");
        Assert.Equal(["PlanIngest", "NoSuchState", "Report"], states);
        Assert.DoesNotContain("NoSuchState", DefinitionStateNames());
    }

    /// <summary>The first word of every arrow-separated step of the diagram under "What a run does"; notes in parentheses are skipped.</summary>
    private static List<string> RunDiagramStates(string readme)
    {
        var section = readme.IndexOf("## What a run does", StringComparison.Ordinal);
        Assert.True(section >= 0, "The README has no 'What a run does' section.");
        var open = readme.IndexOf("```", section, StringComparison.Ordinal);
        var close = readme.IndexOf("```", open + 3, StringComparison.Ordinal);
        Assert.True(open >= 0 && close > open, "The 'What a run does' section has no diagram.");
        var diagram = readme[(open + 3)..close];

        var states = new List<string>();
        foreach (var line in diagram.Split('\n'))
        {
            foreach (var step in Parenthesized().Replace(line, string.Empty).Split('►'))
            {
                var name = LeadingName().Match(step.Replace("─", " ", StringComparison.Ordinal).Trim());
                if (name.Success)
                {
                    states.Add(name.Value);
                }
            }
        }

        return states;
    }

    private static HashSet<string> DefinitionStateNames()
    {
        using var definition = JsonDocument.Parse(File.ReadAllText(FindUp(Path.Combine("statemachine", "pipeline.asl.json"))));
        var names = new HashSet<string>(StringComparer.Ordinal);
        Collect(definition.RootElement, names);
        return names;

        static void Collect(JsonElement machine, HashSet<string> names)
        {
            foreach (var state in machine.GetProperty("States").EnumerateObject())
            {
                names.Add(state.Name);
                foreach (var nested in new[] { "ItemProcessor", "Iterator" })
                {
                    if (state.Value.TryGetProperty(nested, out var inner))
                    {
                        Collect(inner, names);
                    }
                }

                if (state.Value.TryGetProperty("Branches", out var branches))
                {
                    foreach (var branch in branches.EnumerateArray())
                    {
                        Collect(branch, names);
                    }
                }
            }
        }
    }

    private static double Number(string text, string pattern)
    {
        var match = Regex.Match(text, pattern);
        Assert.True(match.Success, $"The README no longer says /{pattern}/: update this test with the new wording.");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static string FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Parenthesized();

    [GeneratedRegex(@"^[A-Z][A-Za-z]*")]
    private static partial Regex LeadingName();
}
