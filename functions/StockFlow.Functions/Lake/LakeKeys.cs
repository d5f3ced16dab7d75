using System.Globalization;

namespace StockFlow.Functions.Lake;

/// <summary>
/// The object keys of the lake (architecture §3), the same on S3 and in the local lake.
/// Symbols and execution names reaching here are already validated, so they cannot escape
/// their prefix.
/// </summary>
public static class LakeKeys
{
    public const string LandingPrefix = "landing/";
    public const string RawPricesPrefix = "raw/prices/";
    public const string RejectedPrefix = "raw/rejected/";
    public const string CuratedMetricsPrefix = "curated/daily_metrics/";
    public const string WatermarksPrefix = "state/watermarks/";

    public static string Landing(string symbol) => $"{LandingPrefix}{symbol}.csv";

    public static string RawPricesOf(string symbol) => $"{RawPricesPrefix}symbol={symbol}/";

    /// <summary>One raw file per symbol and year, so a daily run rewrites one small file.</summary>
    public static string RawPrices(string symbol, int year) =>
        $"{RawPricesOf(symbol)}{symbol}_{year.ToString("D4", CultureInfo.InvariantCulture)}.csv";

    /// <summary>Rejected rows of one execution: a rerun of that execution rewrites the same key.</summary>
    public static string Rejected(string symbol, string executionName) => $"{RejectedPrefix}symbol={symbol}/{executionName}.csv";

    public static string Watermark(string symbol) => $"{WatermarksPrefix}{symbol}.json";

    public static string Result(string executionName, string query) => $"results/{executionName}/{query}.csv";

    public static string Report(string executionName) => $"reports/{executionName}/index.html";
}
