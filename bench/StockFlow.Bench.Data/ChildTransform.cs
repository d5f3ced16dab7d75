using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using StockFlow.GlueAthena.Local.DuckDb;
using StockFlow.GlueAthena.Local.Transform;

namespace StockFlow.Bench.Data;

/// <summary>`child-transform LAKE full|incremental [MEMORY_LIMIT TEMP_DIR]`: one transform, reported as a JSON line.</summary>
public static class ChildTransform
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var lake = args[0];
        var mode = args[1] == "full" ? TransformMode.Full : TransformMode.Incremental;
        var duckDb = args.Count >= 4 ? new DuckDbOptions { MemoryLimit = args[2], TempDirectory = args[3] } : new DuckDbOptions();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var result = await TransformJob.RunAsync(lake, new TransformOptions { Mode = mode, DuckDb = duckDb });
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var stages = new JsonObject();
        foreach (var stage in result.StageTimings)
        {
            stages[stage.Key] = Math.Round(stage.Value.TotalSeconds, 3);
        }

        var report = new JsonObject
        {
            ["seconds"] = seconds,
            ["cpu_seconds"] = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds,
            ["mode"] = result.Mode.ToString(),
            ["rows_read"] = result.RowsRead,
            ["rows_written"] = result.RowsWritten,
            ["symbols_appended"] = result.AppendedSymbols.Count,
            ["symbols_rebuilt"] = result.RebuiltSymbols.Count,
            ["symbols_compacted"] = result.CompactedSymbols.Count,
            ["stages"] = stages,
            ["peak_kb"] = PeakKb(),
        };
        Console.WriteLine(report.ToJsonString());
        return 0;
    }

    /// <summary>VmHWM: the peak resident set of this process.</summary>
    public static long? PeakKb()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return null;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
