using System.IO.Hashing;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StockFlow.Core.Csv;

/// <summary>The length and content hash of a raw price file as the ingest wrote it.</summary>
public sealed record RawFileDigest(long Length, string Hash)
{
    /// <summary>The digest of <paramref name="content"/>: its length and XxHash128 (hex).</summary>
    public static RawFileDigest Of(ReadOnlySpan<byte> content) => new(content.Length, HashOf(content));

    /// <summary>The content hash used for raw files (also by the transform's manifest).</summary>
    public static string HashOf(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(XxHash128.Hash(content));

    /// <summary>Whether <paramref name="content"/> is exactly what was written.</summary>
    public bool Matches(ReadOnlySpan<byte> content) => content.Length == Length && string.Equals(HashOf(content), Hash, StringComparison.Ordinal);
}

/// <summary>
/// One symbol's raw-file digests (file name, e.g. AAPL_2024.csv, to digest), written by the ingest beside every raw file
/// it writes (lake key <see cref="Key"/>, an ordinary object, so it works on S3 and the local lake alike). A raw file whose
/// length or hash differs from its digest was damaged after it was written (truncated, overwritten by hand): readers do
/// not trust it (the ingest re-fetches its year, the transform stops with a clear error instead of reading half a file).
/// A file without a digest (a lake written before digests existed) is trusted and gets one when it is next written.
/// </summary>
public sealed record RawFileDigests(IReadOnlyDictionary<string, RawFileDigest> Files)
{
    /// <summary>The lake prefix of the digest objects.</summary>
    public const string Prefix = Lake.LakeKeys.RawFileDigestsPrefix;

    /// <summary>No digests (a symbol with no raw file yet).</summary>
    public static RawFileDigests Empty { get; } = new(new Dictionary<string, RawFileDigest>(StringComparer.Ordinal));

    /// <summary>The lake key of <paramref name="symbol"/>'s digests.</summary>
    public static string Key(string symbol) => $"{Prefix}{symbol}.json";

    /// <summary>The digest object as it is stored.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, RawFileDigestsJson.Default.RawFileDigests);

    /// <summary>The digests, or null when the text is not a digest file (reported by the caller, never guessed at).</summary>
    public static RawFileDigests? Parse(string json)
    {
        try
        {
            var digests = JsonSerializer.Deserialize(json, RawFileDigestsJson.Default.RawFileDigests);
            return digests?.Files is null ? null : new RawFileDigests(new Dictionary<string, RawFileDigest>(digests.Files, StringComparer.Ordinal));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A copy with <paramref name="fileName"/>'s digest set, or removed when <paramref name="digest"/> is null.</summary>
    public RawFileDigests With(string fileName, RawFileDigest? digest)
    {
        var files = new Dictionary<string, RawFileDigest>(Files, StringComparer.Ordinal);
        if (digest is null)
        {
            files.Remove(fileName);
        }
        else
        {
            files[fileName] = digest;
        }

        return new RawFileDigests(files);
    }
}

/// <summary>The digest file's serializer, source-generated (no reflection: the Lambda bootstrap reads and writes these).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RawFileDigests))]
internal sealed partial class RawFileDigestsJson : JsonSerializerContext;
