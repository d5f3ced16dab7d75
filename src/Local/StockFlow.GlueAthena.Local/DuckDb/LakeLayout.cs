using StockFlow.Core.Csv;
using StockFlow.Core.Lake;

namespace StockFlow.GlueAthena.Local.DuckDb;

/// <summary>Folder layout of a local lake (docs/architecture.md, "The lake"); the same keys as on S3.</summary>
public sealed class LakeLayout
{
    /// <summary><see cref="LakeKeys.RawPricesFolder"/>.</summary>
    public const string RawPricesPrefix = LakeKeys.RawPricesFolder;

    /// <summary><see cref="LakeKeys.RejectedFolder"/>.</summary>
    public const string RejectedPrefix = LakeKeys.RejectedFolder;

    /// <summary><see cref="LakeKeys.CuratedMetricsFolder"/>.</summary>
    public const string DailyMetricsPrefix = LakeKeys.CuratedMetricsFolder;

    /// <param name="lakeRoot">The folder that stands for the bucket; made absolute.</param>
    public LakeLayout(string lakeRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(lakeRoot);
        Root = Path.GetFullPath(lakeRoot);
    }

    /// <summary>The lake folder, absolute.</summary>
    public string Root { get; }

    /// <summary>The raw prices folder (one <c>symbol=&lt;S&gt;</c> folder per symbol).</summary>
    public string RawPrices => Under(RawPricesPrefix);

    /// <summary>The quarantine folder.</summary>
    public string Rejected => Under(RejectedPrefix);

    /// <summary>The curated daily_metrics folder. Not every file in it is in the table: see <see cref="DailyMetricsFiles"/>.</summary>
    public string DailyMetrics => Under(DailyMetricsPrefix);

    /// <summary>The local path of a lake key or prefix (<c>/</c> becomes the platform's separator).</summary>
    public string Under(string prefix) => Path.Combine(Root, prefix.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Raw price CSVs (symbol=*/ *.csv) in key order, so later keys come later.</summary>
    public IReadOnlyList<string> RawPriceFiles() => FilesInSymbolPartitions(RawPrices, "*.csv");

    /// <summary>
    /// The files of the curated daily_metrics table: those the last complete transform listed in its manifest, so a
    /// reader never sees a file a running transform is writing or has replaced. Without a manifest, a lake whose first
    /// transform has not finished (its in-progress marker is there) has no table yet; one whose curated files were put
    /// there by hand, or by a version before the manifest listed them, is read as its folder holds it.
    /// </summary>
    public IReadOnlyList<string> DailyMetricsFiles() => DailyMetricsTable().Files;

    /// <summary>
    /// The files of the curated daily_metrics table (as <see cref="DailyMetricsFiles"/>) and its row count, which the
    /// manifest knows; null rows when the table is read from its folder without one.
    /// </summary>
    public (IReadOnlyList<string> Files, long? Rows) DailyMetricsTable() =>
        Transform.TransformManifest.TryLoad(Under(Transform.TransformManifest.Key)) is { } manifest
            ? (manifest.CuratedPaths(DailyMetrics), manifest.Symbols.Values.Sum(s => s.Rows))
            : (File.Exists(Under(LakeKeys.TransformInProgress)) ? [] : FilesInSymbolPartitions(DailyMetrics, "*.parquet"), null);

    /// <summary>Every Parquet file in the daily_metrics partition folders, listed in the manifest or not.</summary>
    public IReadOnlyList<string> DailyMetricsFilesOnDisk() => FilesInSymbolPartitions(DailyMetrics, "*.parquet");

    /// <summary>The curated partition folder of one symbol.</summary>
    public string DailyMetricsPartition(string symbol) => Path.Combine(DailyMetrics, "symbol=" + symbol);

    /// <summary>
    /// The digest the ingest recorded for a raw file of <paramref name="symbol"/> when it wrote it; null when none is
    /// recorded (a lake from before digests, or a digest file that does not parse: the file is then read as it is).
    /// </summary>
    public RawFileDigest? RecordedDigest(string symbol, string rawFilePath, Dictionary<string, RawFileDigests> cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (!cache.TryGetValue(symbol, out var digests))
        {
            var path = Under(RawFileDigests.Key(symbol));
            digests = File.Exists(path) ? RawFileDigests.Parse(File.ReadAllText(path)) ?? RawFileDigests.Empty : RawFileDigests.Empty;
            cache[symbol] = digests;
        }

        return digests.Files.GetValueOrDefault(Path.GetFileName(rawFilePath));
    }

    /// <summary>Raw price files per symbol (partition folder name), each list in key order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<FileInfo>> RawPriceFilesBySymbol()
    {
        var bySymbol = new SortedDictionary<string, IReadOnlyList<FileInfo>>(StringComparer.Ordinal);
        if (!Directory.Exists(RawPrices))
        {
            return bySymbol;
        }

        foreach (var folder in new DirectoryInfo(RawPrices).EnumerateDirectories("symbol=*"))
        {
            var files = folder.EnumerateFiles("*.csv").OrderBy(f => f.FullName, StringComparer.Ordinal).ToArray();
            if (files.Length > 0)
            {
                bySymbol[folder.Name["symbol=".Length..]] = files;
            }
        }

        return bySymbol;
    }

    private static string[] FilesInSymbolPartitions(string folder, string pattern)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.EnumerateDirectories(folder, "symbol=*")
            .SelectMany(d => Directory.EnumerateFiles(d, pattern))
            .Select(Path.GetFullPath)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }
}
