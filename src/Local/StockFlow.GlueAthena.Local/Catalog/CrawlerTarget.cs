using StockFlow.Core.Lake;

namespace StockFlow.GlueAthena.Local.Catalog;

/// <summary>A dataset prefix in the lake and the one table it becomes (Glue crawler S3 target).</summary>
public sealed record CrawlerTarget(string Prefix, string TableName)
{
    public static CrawlerTarget RawPrices { get; } = new(LakeKeys.RawPricesFolder, "raw_prices");

    public static CrawlerTarget RejectedRows { get; } = new(LakeKeys.RejectedFolder, "rejected_rows");

    public static CrawlerTarget DailyMetrics { get; } = new(LakeKeys.CuratedMetricsFolder, "daily_metrics");

    /// <summary>The three datasets of the StockFlow lake.</summary>
    public static IReadOnlyList<CrawlerTarget> Defaults { get; } = [RawPrices, RejectedRows, DailyMetrics];
}
