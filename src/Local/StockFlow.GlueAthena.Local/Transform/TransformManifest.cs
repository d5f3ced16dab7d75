using System.Text.Json;
using StockFlow.Core.Lake;

namespace StockFlow.GlueAthena.Local.Transform;

/// <summary>A raw file as the last transform read it: enough to tell later whether it is unchanged or only grew.</summary>
public sealed record RawFileState(string Name, long Size, long ModifiedTicks, string Hash);

/// <summary>A curated Parquet file of a symbol's partition as the transform wrote it (name in the partition folder, length, rows).</summary>
public sealed record CuratedFileState(string Name, long Size, long Rows);

/// <summary>
/// What the last transform knew of one symbol: its raw files, how many curated rows it wrote, and the curated files
/// that hold them. Only the files listed here are the table: readers never see a file a transform is still writing
/// or one it has replaced.
/// </summary>
public sealed record SymbolState(long Rows, IReadOnlyList<RawFileState> Files, IReadOnlyList<CuratedFileState> Curated);

/// <summary>
/// Written by every transform after its data (lake key <see cref="Key"/>), read by the next incremental run to find
/// what changed, and the commit point of the curated table: it lists the files that make up daily_metrics, and
/// readers (the Athena stand-in, <c>stockflow query</c>) read exactly those. A transform writes new files under
/// new names beside the listed ones, saves the manifest (one rename), and only then deletes what the new files
/// replace; so a query during a run reads the last complete table, and a run killed half-way leaves only unlisted
/// files, which the next run deletes. <see cref="Runs"/> names the next run's files.
/// </summary>
public sealed record TransformManifest(int Version, long Runs, IReadOnlyDictionary<string, SymbolState> Symbols)
{
    /// <summary>The format this code writes and reads; a manifest of another version is ignored (the next run rebuilds).</summary>
    // 2: the curated files are listed per symbol. A lake of version 1 is rebuilt in full by its next run.
    public const int CurrentVersion = 2;

    /// <summary>The manifest's lake key (<see cref="LakeKeys.TransformManifest"/>).</summary>
    public const string Key = LakeKeys.TransformManifest;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    /// <summary>No run yet: no symbols, no files.</summary>
    public static TransformManifest Empty { get; } = new(CurrentVersion, 0, new Dictionary<string, SymbolState>());

    /// <returns>null when there is none, or it is unreadable or of another version (the caller then rebuilds).</returns>
    public static TransformManifest? TryLoad(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var manifest = JsonSerializer.Deserialize<TransformManifest>(File.ReadAllBytes(path), JsonOptions);
            return manifest is { Version: CurrentVersion, Symbols: not null } && manifest.Symbols.Values.All(s => s is { Files: not null, Curated: not null })
                ? manifest
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The file name (under state/transform/) of the <c>CarryFile</c> written with this manifest; null when none was.</summary>
    public string? Carry { get; init; }

    /// <summary>The carry file name of run number <paramref name="run"/>: a new name per run, so a reader of the old one is never overwritten.</summary>
    public static string CarryName(long run) => Path.GetFileName(LakeKeys.TransformCarryPrefix) + TransformJob.RunLabel(run) + ".parquet";

    /// <summary>Where the carry lives in <paramref name="layout"/>, or null.</summary>
    public string? CarryPath(DuckDb.LakeLayout layout) => Carry is null ? null : CarryPathOf(layout, Carry);

    internal static string CarryPathOf(DuckDb.LakeLayout layout, string name) =>
        Path.Combine(Path.GetDirectoryName(layout.Under(Key))!, Path.GetFileName(name));

    /// <summary>The curated files of every symbol, in key order, as paths under <paramref name="dailyMetricsFolder"/>.</summary>
    public IReadOnlyList<string> CuratedPaths(string dailyMetricsFolder) =>
        Symbols.OrderBy(s => s.Key, StringComparer.Ordinal)
            .SelectMany(s => s.Value.Curated.Select(f => CuratedPath(dailyMetricsFolder, s.Key, f.Name)))
            .ToArray();

    /// <summary>Where a symbol's curated file lives: symbol=SYM/NAME under the daily_metrics folder.</summary>
    public static string CuratedPath(string dailyMetricsFolder, string symbol, string name) =>
        Path.Combine(dailyMetricsFolder, "symbol=" + symbol, name);

    /// <summary>Writes the manifest to disk (flushed), then renames it over <paramref name="path"/>: the commit of the table.</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, this, JsonOptions);
            // The manifest is the commit point of the table: on disk before the rename makes it current.
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
