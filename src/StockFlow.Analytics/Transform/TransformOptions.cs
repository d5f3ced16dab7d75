using StockFlow.Analytics.DuckDb;

namespace StockFlow.Analytics.Transform;

public sealed record TransformOptions
{
    public DuckDbOptions DuckDb { get; init; } = new();

    /// <summary>How many excluded rows to return as examples (all of them are counted).</summary>
    public int ExcludedSampleLimit { get; init; } = 100;
}
