using StockFlow.Functions.Lake;
using StockFlow.Storage;
using StockFlow.Providers;

namespace StockFlow.Runtime.Local;

/// <summary>
/// Which symbols of a local lake came from the synthetic sample provider (from their
/// watermarks), so that every view of such data can say it is synthetic.
/// </summary>
public static class LakeProvenance
{
    /// <summary>The symbols whose watermark names the sample provider; empty when the lake has no watermarks or they are damaged.</summary>
    public static IReadOnlyList<string> SyntheticSymbols(DataDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        try
        {
            var book = WatermarkBook.ReadAsync(new FileSystemObjectStore(directory.LakeRoot), directory.Bucket, CancellationToken.None).GetAwaiter().GetResult();
            return book.Symbols.Where(s => s.Value.Provider == PriceProviders.Sample).Select(s => s.Key).ToList();
        }
        catch (Functions.Hosting.CorruptLakeObjectException)
        {
            // A damaged watermarks object says nothing about provenance; the next plan reports it.
            return [];
        }
    }
}
