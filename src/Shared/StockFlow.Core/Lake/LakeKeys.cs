using System.Globalization;

namespace StockFlow.Core.Lake;

/// <summary>
/// The object keys of the lake (docs/architecture.md, "The lake"), the same on S3 and in the local lake: the one
/// definition of the layout, used by the functions, the local Glue/Athena stand-ins, the crawler and the providers.
/// Symbols and execution names reaching here are already validated, so they cannot escape their prefix.
/// </summary>
public static class LakeKeys
{
    // The three table folders (a crawler target each); the prefixes below are the same with a trailing slash.
    /// <summary>The raw prices table: one CSV per symbol and year, <c>symbol=&lt;S&gt;/&lt;S&gt;_&lt;year&gt;.csv</c>.</summary>
    public const string RawPricesFolder = "raw/prices";
    /// <summary>The quarantine table: rejected rows with their reasons.</summary>
    public const string RejectedFolder = "raw/rejected";
    /// <summary>The curated <c>daily_metrics</c> table (Parquet).</summary>
    public const string CuratedMetricsFolder = "curated/daily_metrics";

    /// <summary>Where users drop CSV files for the csv provider: <c>landing/&lt;SYMBOL&gt;.csv</c>.</summary>
    public const string LandingPrefix = "landing/";
    /// <summary><see cref="RawPricesFolder"/> as a listing prefix.</summary>
    public const string RawPricesPrefix = RawPricesFolder + "/";
    /// <summary><see cref="RejectedFolder"/> as a listing prefix.</summary>
    public const string RejectedPrefix = RejectedFolder + "/";
    /// <summary>Where raw files found damaged are moved, out of the tables.</summary>
    public const string DamagedPrefix = "raw/damaged/";
    /// <summary><see cref="CuratedMetricsFolder"/> as a listing prefix.</summary>
    public const string CuratedMetricsPrefix = CuratedMetricsFolder + "/";
    /// <summary>Each execution's working objects: <c>runs/&lt;execution&gt;/</c>.</summary>
    public const string RunsPrefix = "runs/";

    /// <summary>One digest object per symbol for its raw files (see <c>RawFileDigests</c>).</summary>
    public const string RawFileDigestsPrefix = "state/raw-files/";

    /// <summary>What the transform last built, per symbol, so the next run appends or rebuilds only what changed.</summary>
    public const string TransformManifest = "state/transform/daily_metrics.json";

    /// <summary>The transform's carry files (what the next incremental run needs of the curated table), one per run.</summary>
    public const string TransformCarryPrefix = "state/transform/carry_";

    /// <summary>Present while a transform runs: found at the start of the next one, it says a run died half-way.</summary>
    public const string TransformInProgress = "state/transform/in-progress";

    /// <summary>Symbol lists a request names by key (<c>symbolsKey</c>) instead of listing thousands of symbols.</summary>
    public const string SymbolListsPrefix = "symbol-lists/";

    /// <summary>The last stored trading date of every symbol, one object the plan reads in one request.</summary>
    public const string Watermarks = "state/watermarks.json";

    /// <summary>The lake lock: which execution runs the pipeline on this lake (written and removed by the <c>lock</c> function).</summary>
    public const string PipelineLock = "state/pipeline-lock.json";

    /// <summary>A relative key with no empty, "." or ".." segment: it cannot leave the bucket's folder locally.</summary>
    public static bool IsSafe(string key) =>
        !string.IsNullOrEmpty(key) && key.Length <= 1024 && !key.StartsWith('/')
        && key.Split('/').All(segment => segment.Length > 0 && segment is not "." and not "..")
        && !key.Any(char.IsControl);

    /// <summary>A symbol list stored under its content's hash: the same list is the same key.</summary>
    public static string SymbolList(string contentHash) => $"{SymbolListsPrefix}{contentHash}.txt";

    /// <summary>The landing file of <paramref name="symbol"/>.</summary>
    public static string Landing(string symbol) => $"{LandingPrefix}{symbol}.csv";

    /// <summary>The prefix of <paramref name="symbol"/>'s raw files.</summary>
    public static string RawPricesOf(string symbol) => $"{RawPricesPrefix}symbol={symbol}/";

    /// <summary>One raw file per symbol and year, so a daily run rewrites one small file.</summary>
    public static string RawPrices(string symbol, int year) =>
        $"{RawPricesOf(symbol)}{symbol}_{year.ToString("D4", CultureInfo.InvariantCulture)}.csv";

    /// <summary>Rejected rows of one execution: a rerun of that execution rewrites the same key.</summary>
    public static string Rejected(string symbol, string executionName) => $"{RejectedPrefix}symbol={symbol}/{executionName}.csv";

    /// <summary>Everything one execution hands from state to state by key instead of in its payloads.</summary>
    public static string Run(string executionName) => $"{RunsPrefix}{executionName}/";

    /// <summary>The plan's work list: one JSON object per line, read by the ingest Map's ItemReader.</summary>
    public static string IngestItems(string executionName) => $"{Run(executionName)}ingest/items.jsonl";

    /// <summary>Where the ingest Map's ResultWriter puts its manifest and result files.</summary>
    public static string IngestResultsPrefix(string executionName) => $"{Run(executionName)}ingest/results";

    /// <summary>What one ingest batch finished, so a retried or redriven batch does not fetch those symbols again.</summary>
    public static string IngestBatch(string executionName, string batchId) => $"{Run(executionName)}ingest/batches/{batchId}.json";

    /// <summary>Every symbol's ingest outcome, written by the summarize step.</summary>
    public static string IngestSummary(string executionName) => $"{Run(executionName)}ingest/summary.json";

    /// <summary>JSON array of the symbols whose raw prices changed in this execution: the transform's scope.</summary>
    public static string ChangedSymbols(string executionName) => $"{Run(executionName)}ingest/changed-symbols.json";

    /// <summary>A raw file found damaged and not re-fetchable, kept aside (outside the table's folders) for inspection.</summary>
    public static string Damaged(string symbol, int year, string executionName) =>
        $"{DamagedPrefix}symbol={symbol}/{symbol}_{year.ToString("D4", CultureInfo.InvariantCulture)}.{executionName}.csv";

    /// <summary>The stable copy of a query's result for an execution.</summary>
    public static string Result(string executionName, string query) => $"results/{executionName}/{query}.csv";

    /// <summary>An execution's HTML report.</summary>
    public static string Report(string executionName) => $"reports/{executionName}/index.html";
}
