using StockFlow.GlueAthena.Local.Sql;
using StockFlow.Asl.Validation;
using StockFlow.Functions.Plan;
using StockFlow.Reporting.Csv;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Definitions;

namespace StockFlow.EndToEnd.Tests;

/// <summary>The shipped definition is the one in statemachine/, valid, and fully bound locally.</summary>
public sealed class DefinitionTests
{
    [Fact]
    public void Shipped_definition_is_the_repository_file()
    {
        var repositoryFile = FindUp(Path.Combine("statemachine", "pipeline.asl.json"));
        Assert.Equal(File.ReadAllText(repositoryFile), LocalPipeline.ShippedDefinition());
    }

    [Fact]
    public void Pipeline_definition_validates_without_problems_before_and_after_substitution()
    {
        var template = LocalPipeline.ShippedDefinition();
        Assert.Empty(AslValidator.Validate(template));
        var local = DefinitionTemplate.Substitute(template, LocalResourceNames.Substitutions(DataDirectory.DefaultBucket));
        Assert.Empty(AslValidator.Validate(local));
        Assert.DoesNotContain("${", local, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_task_resource_of_the_pipeline_has_a_local_binding()
    {
        var temp = Path.Combine(Path.GetTempPath(), "stockflow-bindings-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var pipeline = LocalPipeline.Open(new DataDirectory(temp));
            // The Distributed Map's ItemReader and ResultWriter (s3:getObject, s3:putObject) use the lake's store, not a binding.
            var resources = System.Text.RegularExpressions.Regex.Matches(LocalPipeline.ShippedDefinition(), "\"Resource\": \"([^\"]+)\"")
                .Select(m => m.Groups[1].Value)
                .Where(r => !r.StartsWith("arn:aws:states:::s3:", StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal);
            Assert.All(resources, r => Assert.Contains(r, pipeline.Invoker.BoundResources));
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    [Fact]
    public void The_plan_asks_for_exactly_the_shared_analysis_queries()
    {
        Assert.Equal(SqlLibrary.QueryNames.Order(StringComparer.Ordinal), ReportCsv.QueryNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Placeholders_without_a_value_are_refused_with_their_names()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            DefinitionTemplate.Substitute("""{"a":"${Known}","b":"${Unknown}"}""", new Dictionary<string, string> { ["Known"] = "x" }));
        Assert.Contains("${Unknown}", error.Message, StringComparison.Ordinal);
        Assert.Equal("""{"a":"q\"uote"}""", DefinitionTemplate.Substitute("""{"a":"${Known}"}""", new Dictionary<string, string> { ["Known"] = "q\"uote" }));
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
}
