using System.Diagnostics;

namespace StockFlow.Deploy.Tests.Glue;

/// <summary>The Glue job's Python: every file compiles, and its pure parts pass their unit tests (no Spark needed).</summary>
public sealed class GlueScriptTests
{
    private static readonly string GlueDirectory = RepoPaths.File("infra", "glue");

    private static async Task<(int ExitCode, string Output)> Python(params string[] arguments)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = GlueDirectory };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // No __pycache__ in the source tree.
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task Every_python_file_compiles()
    {
        var files = Directory.EnumerateFiles(GlueDirectory, "*.py", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.Contains(files, f => f.EndsWith("transform_job.py", StringComparison.Ordinal));
        var target = Path.Combine(Path.GetTempPath(), $"stockflow-pyc-{Guid.NewGuid():N}");
        try
        {
            var script = "import py_compile, sys, os\n"
                + "for i, f in enumerate(sys.argv[2:]):\n"
                + "    py_compile.compile(f, cfile=os.path.join(sys.argv[1], str(i) + '.pyc'), doraise=True)\n";
            var (exitCode, output) = await Python(["-c", script, target, .. files]);
            Assert.True(exitCode == 0, output);
        }
        finally
        {
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }
        }
    }

    [Fact]
    public async Task The_jobs_statistics_are_what_the_report_reads_under_the_key_it_reads()
    {
        var (exitCode, output) = await Python("-c",
            "import json, job_logic\n"
            + "print(job_logic.statistics_key('exec-1'))\n"
            + "print(json.dumps(job_logic.statistics('exec-1', 'full', ['KO', 'PEP'], {None: 10, 'high < low': 2}, 8)))\n");
        Assert.True(exitCode == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(StockFlow.Functions.Lake.TransformJobStatistics.Key("exec-1"), lines[0]);
        var written = System.Text.Json.Nodes.JsonNode.Parse(lines[1])!.AsObject();
        var read = StockFlow.Functions.Hosting.HandlerJson.Read<StockFlow.Functions.Lake.TransformJobStatistics>(written, "test");
        Assert.Equal(("full", 12L, 8L, 4L), (read.Mode, read.RowsRead, read.RowsWritten, read.RowsExcluded));
        Assert.Equal(["KO", "PEP"], read.Symbols);
        Assert.Equal(2, read.ExcludedByReason["high < low"]);
        // Every field the job writes is one the report's contract has, and the other way round.
        Assert.Equal(written.Select(p => p.Key).Order(StringComparer.Ordinal),
            StockFlow.Functions.Hosting.HandlerJson.Write(read)!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_pure_python_parts_pass_their_unit_tests()
    {
        var (exitCode, output) = await Python("-m", "unittest", "discover", "-s", "tests", "-v");
        Assert.True(exitCode == 0, output);
        Assert.Contains("test_rows_carry_file_and_line_in_source_order", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Ran 0 tests", output, StringComparison.Ordinal);
    }
}
