using System.Diagnostics;

namespace StockFlow.Analytics.Transform;

/// <summary>Wall time per step of a run, reported in <see cref="TransformResult.StageTimings"/> (for profiling and the benchmarks).</summary>
internal sealed class StageTimer
{
    private readonly Stopwatch stopwatch = Stopwatch.StartNew();
    private readonly List<KeyValuePair<string, TimeSpan>> stages = [];
    private TimeSpan last;

    public TimeSpan Elapsed => stopwatch.Elapsed;

    public void Mark(string stage)
    {
        var now = stopwatch.Elapsed;
        stages.Add(new(stage, now - last));
        last = now;
    }

    public IReadOnlyList<KeyValuePair<string, TimeSpan>> Stages => stages;
}
