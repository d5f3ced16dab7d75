using StockFlow.GlueAthena.Local.DuckDb;
using StockFlow.GlueAthena.Local.Transform;

namespace StockFlow.GlueAthena.Local.Catalog;

/// <summary>
/// What the transform wrote, as the crawler would learn it from the files' footers: each listed curated file with its
/// columns and rows, from the manifest. The files one run wrote came out of one COPY, so one footer per run is read.
/// Handed to <see cref="LocalCrawler.CrawlAsync"/> after a transform, the daily_metrics catalog is updated without
/// opening 10,000 files (the Glue job does the same with enableUpdateCatalog).
/// </summary>
public static class CuratedCatalogFiles
{
    /// <summary>Empty when there is no manifest; a file whose length is not the manifest's is left out (the crawler reads it).</summary>
    public static IReadOnlyDictionary<string, FileSchema> Of(string lakeRoot)
    {
        var layout = new LakeLayout(lakeRoot);
        var result = new Dictionary<string, FileSchema>(StringComparer.Ordinal);
        if (TransformManifest.TryLoad(layout.Under(TransformManifest.Key)) is not { } manifest)
        {
            return result;
        }

        using var reader = new ParquetSchemaReader();
        var columnsByRun = new Dictionary<string, IReadOnlyList<GlueColumn>>(StringComparer.Ordinal);
        foreach (var (symbol, state) in manifest.Symbols)
        {
            foreach (var file in state.Curated)
            {
                var path = Path.GetFullPath(TransformManifest.CuratedPath(layout.DailyMetrics, symbol, file.Name));
                var info = new FileInfo(path);
                if (!info.Exists || info.Length != file.Size)
                {
                    continue;
                }

                var run = TransformJob.CuratedFileRun(file.Name);
                if (!columnsByRun.TryGetValue(run, out var columns))
                {
                    columns = reader.Read(path).Columns;
                    columnsByRun[run] = columns;
                }

                result[path] = new FileSchema(false, columns, file.Rows);
            }
        }

        return result;
    }
}
