using System.Globalization;
using StockFlow.GlueAthena.Local.DuckDb;
using StockFlow.GlueAthena.Local.Sql;
using StockFlow.Core.Prices;

namespace StockFlow.GlueAthena.Local.Transform;

/// <summary>
/// The local stand-in for the Glue job: raw CSVs -> shared daily_metrics SQL -> Parquet partitioned by symbol under
/// curated/daily_metrics. <see cref="TransformMode.Full"/> rewrites the table whole (re-runs never duplicate rows);
/// <see cref="TransformMode.Incremental"/> computes only the days that changed, from the manifest of the last run.
/// </summary>
public static class TransformJob
{
    /// <summary>Runs the transform over the lake at <paramref name="lakeRoot"/> and commits the curated table through the manifest.</summary>
    /// <param name="lakeRoot">The local lake (bucket) folder.</param>
    /// <param name="options">Mode, limits and batching; null = <see cref="TransformOptions"/>' defaults.</param>
    /// <param name="cancellationToken">Stops the run; the last committed table stays the table.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The lake has no raw price files.</exception>
    /// <exception cref="InvalidDataException">A raw file does not have the price header.</exception>
    /// <exception cref="DamagedRawFileException">A raw file differs from what the ingest wrote (the message says how to re-fetch it).</exception>
    public static Task<TransformResult> RunAsync(string lakeRoot, TransformOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TransformOptions();
        options.Validate();
        var layout = new LakeLayout(lakeRoot);
        return Task.Run(() => Run(layout, options, cancellationToken), cancellationToken);
    }

    private static TransformResult Run(LakeLayout layout, TransformOptions options, CancellationToken cancellationToken)
    {
        var stopwatch = new StageTimer();
        var raw = layout.RawPriceFilesBySymbol();
        if (raw.Count == 0)
        {
            throw new InvalidOperationException(
                $"No raw price files under '{layout.RawPrices}' (expected symbol=<SYM>/<SYM>_<YYYY>.csv); nothing to transform.");
        }

        var manifestPath = layout.Under(TransformManifest.Key);
        var previous = TransformManifest.TryLoad(manifestPath);
        CuratedCommit.Begin(layout, previous);
        stopwatch.Mark("list raw files, load manifest");
        if (options.Mode == TransformMode.Incremental)
        {
            var reason = previous is null ? "no transform manifest yet"
                : !Directory.Exists(layout.DailyMetrics) || !Directory.EnumerateDirectories(layout.DailyMetrics, "symbol=*").Any() ? "no curated daily_metrics yet"
                : null;
            if (reason is null)
            {
                return IncrementalRun.Execute(layout, options, raw, previous!, manifestPath, stopwatch, cancellationToken);
            }

            return RunFull(layout, options, raw, previous, manifestPath, stopwatch, cancellationToken) with { FullRebuildReason = reason };
        }

        return RunFull(layout, options, raw, previous, manifestPath, stopwatch, cancellationToken);
    }

    private static TransformResult RunFull(
        LakeLayout layout,
        TransformOptions options,
        IReadOnlyDictionary<string, IReadOnlyList<FileInfo>> raw,
        TransformManifest? previous,
        string manifestPath,
        StageTimer stopwatch,
        CancellationToken cancellationToken)
    {
        using var engine = DuckDbEngine.Open(options.DuckDb);
        // Row order carries no meaning here (source_order is a column), so DuckDB may read and write in any order.
        engine.Execute("SET preserve_insertion_order = false");
        var batches = SymbolBatches(raw, options.FullRebuildBatchBytes);
        var transformSql = SqlText.WithoutTrailingSemicolon(SqlLibrary.GetTransform("daily_metrics"));
        Directory.CreateDirectory(layout.DailyMetrics);
        stopwatch.Mark("plan");

        // New files under this run's names go beside the current ones, which stay the table until the manifest is saved.
        var run = (previous?.Runs ?? 0) + 1;
        var fileNamePattern = CuratedFilePrefix(run) + "{i}";
        var symbols = new Dictionary<string, SymbolState>(StringComparer.Ordinal);
        // The next incremental run's carry comes from the computed metrics while every batch is small enough to hold them
        // (a month of 10,000 symbols is ~15 MB of CSV); a larger rebuild streams its batches and leaves the next run to read
        // the curated files once instead.
        var carry = batches.All(b => b.Sum(symbol => raw[symbol].Sum(f => f.Length)) <= options.CarryFromRebuildBelowBytes);
        if (carry)
        {
            CarryFile.BeginFull(engine);
        }

        var digests = new Dictionary<string, Core.Csv.RawFileDigests>(StringComparer.Ordinal);
        var batchResults = new List<TransformResult>();
        for (var batch = 0; batch < batches.Count; batch++)
        {
            var slices = batches[batch]
                .SelectMany(symbol => raw[symbol].Select(f => new RawSlice(symbol, f.FullName, 0, layout.RecordedDigest(symbol, f.FullName, digests))))
                .OrderBy(s => s.Path, StringComparer.Ordinal)
                .ToArray();
            using var staging = RawStaging.Write(slices, StagingDirectory(options));
            RawPricesRelation.Create(engine, staging, PriceRules.LastTradeDate(options.Clock), symbolAsEnum: true);
            stopwatch.Mark("read, clean and stage raw files");
            cancellationToken.ThrowIfCancellationRequested();

            WrittenRows written;
            if (carry)
            {
                // Not TEMP: the curated writer reads it from sessions of its own.
                engine.Execute($"CREATE OR REPLACE TABLE metrics_batch AS {transformSql}");
                written = CuratedWriter.CopyTable(engine, "metrics_batch", orderBy: null, layout.DailyMetrics, fileNamePattern);
                CarryFile.AddFullBatch(engine, "metrics_batch", options.CompactBelowRows);
                engine.Execute("DROP TABLE metrics_batch");
            }
            else
            {
                written = CuratedWriter.CopyQuery(engine, transformSql, layout.DailyMetrics, fileNamePattern);
            }

            stopwatch.Mark("metrics and write");
            cancellationToken.ThrowIfCancellationRequested();

            foreach (var files in staging.Files.GroupBy(f => f.Symbol, StringComparer.Ordinal))
            {
                symbols[files.Key] = new SymbolState(written.RowsBySymbol.GetValueOrDefault(files.Key), files.Select(ToState).ToArray(),
                    CuratedCommit.Describe(written.FilesBySymbol.GetValueOrDefault(files.Key, [])));
            }

            batchResults.Add(TransformStatistics.Build(engine, written.Total, written.RowsBySymbol.Keys.ToArray(), options.ExcludedSampleLimit, TimeSpan.Zero));
            stopwatch.Mark("statistics");
        }

        // The rebuilt table replaces all of the old one: every file the new manifest does not list goes.
        var manifest = new TransformManifest(TransformManifest.CurrentVersion, run, symbols);
        if (carry)
        {
            manifest = manifest with { Carry = TransformManifest.CarryName(run) };
            CarryFile.SaveFull(engine, manifest.CarryPath(layout)!);
        }

        CuratedCommit.Commit(layout, manifest, manifestPath, replaced: null, previous);
        stopwatch.Mark("manifest and clean-up");
        return TransformStatistics.Combine(batchResults, options.ExcludedSampleLimit) with
        {
            StageTimings = stopwatch.Stages,
            Elapsed = stopwatch.Elapsed,
            Batches = batches.Count,
        };
    }

    /// <summary>Symbols in key order, cut into runs of about <paramref name="batchBytes"/> of raw CSV (a symbol is never split).</summary>
    internal static IReadOnlyList<IReadOnlyList<string>> SymbolBatches(IReadOnlyDictionary<string, IReadOnlyList<FileInfo>> raw, long batchBytes)
    {
        var batches = new List<IReadOnlyList<string>>();
        var current = new List<string>();
        long bytes = 0;
        foreach (var symbol in raw.Keys.Order(StringComparer.Ordinal))
        {
            var size = raw[symbol].Sum(f => f.Length);
            if (current.Count > 0 && bytes + size > batchBytes)
            {
                batches.Add(current);
                current = [];
                bytes = 0;
            }

            current.Add(symbol);
            bytes += size;
        }

        if (current.Count > 0)
        {
            batches.Add(current);
        }

        return batches;
    }

    internal static RawFileState ToState(StagedFile file) =>
        new(Path.GetFileName(file.Path), file.Size, file.ModifiedUtc.Ticks, file.Hash);

    internal static string StagingDirectory(TransformOptions options) =>
        Path.Combine(options.DuckDb.TempDirectory ?? Path.GetTempPath(), "stockflow-staging");

    internal static string RunLabel(long run) => "r" + run.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The names of one run's curated files: data_r000012_ then DuckDB's file index, e.g. data_r000012_0.parquet.</summary>
    internal static string CuratedFilePrefix(long run) => "data_" + RunLabel(run) + "_";

    /// <summary>The run part of a curated file's name (data_r000012_3.parquet -> data_r000012): the files of one COPY.</summary>
    internal static string CuratedFileRun(string name)
    {
        var end = name.LastIndexOf('_');
        return end > 0 ? name[..end] : name;
    }
}
