using System.Diagnostics;

namespace StockFlow.GlueAthena.Local.Transform;

/// <summary>
/// Wall time per step of a run, reported in <see cref="TransformResult.StageTimings"/> (for profiling and the
/// benchmarks). A step marked again (once per batch) adds to its total and keeps its place.
/// </summary>
internal sealed class StageTimer
{
    private readonly Stopwatch stopwatch = Stopwatch.StartNew();
    private readonly List<KeyValuePair<string, TimeSpan>> stages = [];
    private TimeSpan last;

    public TimeSpan Elapsed => stopwatch.Elapsed;

    public void Mark(string stage)
    {
        var now = stopwatch.Elapsed;
        var index = stages.FindIndex(s => string.Equals(s.Key, stage, StringComparison.Ordinal));
        if (index < 0)
        {
            stages.Add(new(stage, now - last));
        }
        else
        {
            stages[index] = new(stage, stages[index].Value + (now - last));
        }

        last = now;
    }

    public IReadOnlyList<KeyValuePair<string, TimeSpan>> Stages => stages;
}
