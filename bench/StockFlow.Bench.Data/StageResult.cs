namespace StockFlow.Bench.Data;

/// <summary>One timed stage: every repetition's seconds, the median, the peak memory when measured, and notes.</summary>
public sealed record StageResult(string Stage, IReadOnlyList<double> Seconds, long? PeakKb, string Notes)
{
    public double Median
    {
        get
        {
            var sorted = Seconds.Order().ToArray();
            return sorted.Length == 0 ? double.NaN
                : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
                : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }
}
