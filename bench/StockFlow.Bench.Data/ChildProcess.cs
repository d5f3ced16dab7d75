using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace StockFlow.Bench.Data;

/// <summary>A finished child process: wall time, exit code, peak resident memory and its output.</summary>
public sealed record ChildResult(double WallSeconds, int ExitCode, long? PeakKb, string Stdout, string Stderr)
{
    /// <summary>The last line of stdout that is a JSON object (children report that way).</summary>
    public JsonObject? Json => Stdout.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{')) is { } line
        ? JsonNode.Parse(line) as JsonObject
        : null;
}

/// <summary>Runs stages in child processes, so each one's peak memory is its own (GNU time's maximum RSS).</summary>
public static class ChildProcess
{
    private const string GnuTime = "/usr/bin/time";

    public static ChildResult Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var useTime = File.Exists(GnuTime);
        var info = new ProcessStartInfo(useTime ? GnuTime : fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (useTime)
        {
            info.ArgumentList.Add("-f");
            info.ArgumentList.Add("BENCH_MAXRSS_KB=%M");
            info.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var wall = stopwatch.Elapsed.TotalSeconds;
        var err = stderr.Result;
        long? peak = null;
        var marker = err.LastIndexOf("BENCH_MAXRSS_KB=", StringComparison.Ordinal);
        if (marker >= 0)
        {
            peak = long.Parse(err[(marker + "BENCH_MAXRSS_KB=".Length)..].Trim().Split('\n')[0], CultureInfo.InvariantCulture);
            err = err[..marker];
        }

        return new ChildResult(wall, process.ExitCode, peak, stdout.Result, err);
    }

    /// <summary>
    /// This harness again, for a stage that must run in its own process. Under `dotnet run` the process is the
    /// apphost (takes the arguments directly); under `dotnet X.dll` it is the host, which needs the dll first.
    /// </summary>
    public static ChildResult RunSelf(params string[] arguments)
    {
        var host = Environment.ProcessPath!;
        var viaDotnetHost = string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase);
        return Run(host, viaDotnetHost ? [typeof(ChildProcess).Assembly.Location, .. arguments] : arguments);
    }
}
