using System.Globalization;
using StockFlow.Core.Csv;
using StockFlow.Core.Lake;
using StockFlow.Functions.Lake;
using StockFlow.Storage;

namespace StockFlow.Functions.Ingest;

/// <summary>
/// One symbol's raw files as the ingest finds them (one listing) and the digests recorded when they were written
/// (<see cref="RawFileDigests"/>). A listed file whose length differs from its digest is damaged; one read later is
/// checked against the hash as well. Changes are recorded here and saved once, after the raw files are written.
/// </summary>
internal sealed class RawFiles
{
    private readonly string symbol;
    private readonly Dictionary<int, long> sizes;
    private RawFileDigests digests;
    private bool changed;

    private RawFiles(string symbol, Dictionary<int, long> sizes, RawFileDigests digests)
    {
        this.symbol = symbol;
        this.sizes = sizes;
        this.digests = digests;
    }

    /// <summary>Years that have a raw file.</summary>
    public IReadOnlyCollection<int> Years => sizes.Keys;

    public static async Task<RawFiles> LoadAsync(IObjectStore store, string bucket, string symbol, CancellationToken cancellationToken)
    {
        var sizes = new Dictionary<int, long>();
        var prefix = LakeKeys.RawPricesOf(symbol);
        await foreach (var info in store.ListAsync(bucket, prefix, cancellationToken))
        {
            if (YearOf(symbol, info.Key[prefix.Length..]) is { } year)
            {
                sizes[year] = info.Size;
            }
        }

        var text = await store.GetTextAsync(bucket, RawFileDigests.Key(symbol), cancellationToken);
        // A digest file that does not parse proves nothing either way: the files are read as they are, and the next
        // write records fresh digests.
        var digests = text is null ? RawFileDigests.Empty : RawFileDigests.Parse(text) ?? RawFileDigests.Empty;
        return new RawFiles(symbol, sizes, digests);
    }

    /// <summary>Years whose file is not as long as when it was written.</summary>
    public IEnumerable<int> DamagedYears() =>
        sizes.Where(s => digests.Files.TryGetValue(FileName(s.Key), out var digest) && digest.Length != s.Value)
            .Select(s => s.Key)
            .Order()
            .ToArray();

    /// <summary>Whether <paramref name="content"/>, just read, is what was written (true when no digest was recorded).</summary>
    public bool IsIntact(int year, ReadOnlySpan<byte> content) =>
        !digests.Files.TryGetValue(FileName(year), out var digest) || digest.Matches(content);

    /// <summary>A year's file was written (<paramref name="digest"/>) or deleted (null).</summary>
    public void Record(int year, RawFileDigest? digest)
    {
        if (digest is null)
        {
            sizes.Remove(year);
        }
        else
        {
            sizes[year] = digest.Length;
        }

        digests = digests.With(FileName(year), digest);
        changed = true;
    }

    public async Task SaveAsync(IObjectStore store, string bucket, CancellationToken cancellationToken)
    {
        if (changed)
        {
            await store.PutTextAsync(bucket, RawFileDigests.Key(symbol), digests.ToJson(), cancellationToken);
            changed = false;
        }
    }

    private string FileName(int year) => LakeKeys.RawPrices(symbol, year)[LakeKeys.RawPricesOf(symbol).Length..];

    private static int? YearOf(string symbol, string fileName) =>
        fileName.StartsWith(symbol + "_", StringComparison.Ordinal) && fileName.EndsWith(".csv", StringComparison.Ordinal)
        && int.TryParse(fileName.AsSpan(symbol.Length + 1, fileName.Length - symbol.Length - 5), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            ? year
            : null;
}
