using System.Text.Json;
using StockFlow.Functions.Hosting;
using StockFlow.Functions.Lake;

namespace StockFlow.Runtime.Local;

/// <summary>
/// Which symbols of a local lake came from the synthetic sample provider (from their
/// watermarks), so that every view of such data can say it is synthetic.
/// </summary>
public static class LakeProvenance
{
    public static IReadOnlyList<string> SyntheticSymbols(DataDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var folder = directory.PathOf(LakeKeys.WatermarksPrefix.TrimEnd('/'));
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var symbols = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var watermark = JsonSerializer.Deserialize<Watermark>(File.ReadAllText(file), HandlerJson.Options);
                if (watermark?.Provider == "sample")
                {
                    symbols.Add(watermark.Symbol);
                }
            }
            catch (JsonException)
            {
                // A damaged watermark says nothing about provenance; ingest reports it when it reads it.
            }
        }

        return symbols;
    }
}
