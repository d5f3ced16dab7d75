using System.Text.Json;
using StockFlow.Core.Lake;

namespace StockFlow.Analytics.Transform;

/// <summary>A raw file as the last transform read it: enough to tell later whether it is unchanged or only grew.</summary>
public sealed record RawFileState(string Name, long Size, long ModifiedTicks, string Hash);

/// <summary>What the last transform knew of one symbol: its raw files and how many curated rows it wrote.</summary>
public sealed record SymbolState(long Rows, IReadOnlyList<RawFileState> Files);

/// <summary>
/// Written by every transform after its data (lake key <see cref="Key"/>), read by the next incremental run to find
/// what changed. <see cref="Runs"/> names the next run's files, so a run that died before saving the manifest is
/// redone under the same file names and never leaves duplicate rows behind.
/// </summary>
public sealed record TransformManifest(int Version, long Runs, IReadOnlyDictionary<string, SymbolState> Symbols)
{
    public const int CurrentVersion = 1;

    public const string Key = LakeKeys.TransformManifest;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

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
            var manifest = JsonSerializer.Deserialize<TransformManifest>(File.ReadAllText(path), JsonOptions);
            return manifest is { Version: CurrentVersion, Symbols: not null } ? manifest : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, JsonOptions));
        File.Move(temp, path, overwrite: true);
    }
}
