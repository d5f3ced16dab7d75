using System.Text.Json.Nodes;

namespace StockFlow.Cli.Tests.AslConformance;

/// <summary>
/// Every case under Conformance/cases runs through <c>stockflow asl run &lt;definition&gt; --input @file</c>
/// and its one-line envelope must equal the case's expected envelope exactly (status, output or error and cause).
/// The expected envelopes come from the ASL specification, the Step Functions developer guide and recorded AWS
/// executions; each case names its source.
/// </summary>
public class ConformanceCorpusTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(CaseDirectory, "*.json").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    private static string CaseDirectory => Path.Combine(AppContext.BaseDirectory, "AslConformance", "cases");

    [Fact]
    public void The_corpus_is_broad()
    {
        Assert.True(Directory.GetFiles(CaseDirectory, "*.json").Length >= 60);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Asl_run_prints_the_recorded_envelope(string name)
    {
        var testCase = ConformanceCase.Load(Path.Combine(CaseDirectory, name + ".json"));
        var folder = Directory.CreateTempSubdirectory("stockflow-conformance-");
        try
        {
            var args = testCase.Arguments(folder.FullName);
            var (exitCode, stdout, stderr) = await Cli.RunAsync(args);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, $"expected one envelope line, got: {stdout}\n{stderr}");
            var actual = JsonNode.Parse(lines[0]);
            Assert.True(
                testCase.Matches(actual),
                $"{name} ({testCase.Source})\nexpected {testCase.Expected.ToJsonString()}\n  actual {lines[0]}");
            Assert.Equal(testCase.Expected["status"]!.GetValue<string>() == "SUCCEEDED" ? 0 : 1, exitCode);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
