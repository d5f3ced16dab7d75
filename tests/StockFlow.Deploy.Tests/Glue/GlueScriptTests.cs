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
    public async Task The_pure_python_parts_pass_their_unit_tests()
    {
        var (exitCode, output) = await Python("-m", "unittest", "discover", "-s", "tests", "-v");
        Assert.True(exitCode == 0, output);
        Assert.Contains("test_rows_carry_file_and_line_in_source_order", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Ran 0 tests", output, StringComparison.Ordinal);
    }
}
