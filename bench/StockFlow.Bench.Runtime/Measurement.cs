using System.Diagnostics;

namespace StockFlow.Bench.Runtime;

/// <summary>The median of several timed repetitions (after warm-ups), with the spread for the report.</summary>
internal sealed record Measurement(string Name, double MedianSeconds, double MinSeconds, double MaxSeconds, int Repetitions)
{
    public static async Task<Measurement> TimeAsync(string name, int warmups, int repetitions, Func<Task> run)
    {
        for (var i = 0; i < warmups; i++) await run();
        var seconds = new List<double>(repetitions);
        for (var i = 0; i < repetitions; i++)
        {
            var sw = Stopwatch.StartNew();
            await run();
            seconds.Add(sw.Elapsed.TotalSeconds);
        }

        seconds.Sort();
        var median = seconds.Count % 2 == 1
            ? seconds[seconds.Count / 2]
            : (seconds[(seconds.Count / 2) - 1] + seconds[seconds.Count / 2]) / 2;
        return new Measurement(name, median, seconds[0], seconds[^1], repetitions);
    }
}
