using StockFlow.Core.Lake;

namespace StockFlow.GlueAthena.Local.Catalog;

/// <summary>A dataset prefix in the lake and the one table it becomes (Glue crawler S3 target).</summary>
public sealed record CrawlerTarget(string Prefix, string TableName)
{
    /// <summary>The ingested CSV files (<c>raw/prices</c>, partitioned by symbol) as <c>raw_prices</c>.</summary>
    public static CrawlerTarget RawPrices { get; } = new(LakeKeys.RawPricesFolder, "raw_prices");

    /// <summary>The quarantined rows with their reasons (<c>raw/rejected</c>) as <c>rejected_rows</c>.</summary>
    public static CrawlerTarget RejectedRows { get; } = new(LakeKeys.RejectedFolder, "rejected_rows");

    /// <summary>The transform's Parquet output (<c>curated/daily_metrics</c>) as <c>daily_metrics</c>.</summary>
    public static CrawlerTarget DailyMetrics { get; } = new(LakeKeys.CuratedMetricsFolder, "daily_metrics");

    /// <summary>The three datasets of the StockFlow lake.</summary>
    public static IReadOnlyList<CrawlerTarget> Defaults { get; } = [RawPrices, RejectedRows, DailyMetrics];
}
