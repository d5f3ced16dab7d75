using StockFlow.GlueAthena.Local.DuckDb;
using StockFlow.GlueAthena.Local.Sql;
using StockFlow.Core.Prices;

namespace StockFlow.GlueAthena.Local.Transform;

/// <summary>
/// One incremental transform: plan per symbol from the manifest, read only appended bytes (or all files of a symbol to
/// rebuild), run daily_metrics_incremental.sql with the carried state, add one small Parquet file per changed symbol
/// (replacing the partition of a rebuilt or compacted symbol), then save the manifest.
/// </summary>
internal static class IncrementalRun
{
    public static TransformResult Execute(
        LakeLayout layout,
        TransformOptions options,
        IReadOnlyDictionary<string, IReadOnlyList<FileInfo>> raw,
        TransformManifest previous,
        string manifestPath,
        StageTimer stopwatch,
        CancellationToken cancellationToken)
    {
        var current = raw.ToDictionary(
            s => s.Key,
            s => (IReadOnlyList<RawFileInfo>)s.Value.Select(f => new RawFileInfo(f.Name, f.FullName, f.Length, f.LastWriteTimeUtc.Ticks)).ToArray(),
            StringComparer.Ordinal);
        var plans = ChangePlanner.Plan(current, previous, options.Symbols,
            (file, old) => RawStaging.HasIntactPrefix(file.Path, old.Size, old.Hash));

        var rebuild = plans.Where(p => p.Action == SymbolAction.Rebuild).ToDictionary(p => p.Symbol, p => p.Reason!, StringComparer.Ordinal);
        var append = plans.Where(p => p.Action == SymbolAction.Append).ToDictionary(p => p.Symbol, StringComparer.Ordinal);
        var remove = plans.Where(p => p.Action == SymbolAction.Remove).Select(p => p.Symbol).ToArray();

        // The files the manifest lists are the symbol's table; one gone or of another length (damaged, deleted by hand)
        // means its rows cannot be trusted, and the symbol is rebuilt from its raw files.
        var listed = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var symbol in append.Keys.ToArray())
        {
            if (CuratedCommit.IntactFiles(layout, symbol, previous.Symbols[symbol]) is { } files)
            {
                listed[symbol] = files;
            }
            else
            {
                append.Remove(symbol);
                rebuild[symbol] = "curated files missing or changed since the last transform";
            }
        }

        stopwatch.Mark("plan");
        using var engine = DuckDbEngine.Open(options.DuckDb);
        engine.Execute("SET preserve_insertion_order = false");
        // A small partition is rewritten whole with its new rows (CompactBelowRows): its rows are read once, here.
        var small = listed.Keys.Where(s => previous.Symbols[s].Rows < options.CompactBelowRows).ToHashSet(StringComparer.Ordinal);
        var curated = CuratedState.Load(engine, listed, small, previous.CarryPath(layout),
            listed.Keys.ToDictionary(s => s, s => previous.Symbols[s].Rows, StringComparer.Ordinal));
        stopwatch.Mark("read curated state");
        foreach (var symbol in append.Keys.ToArray())
        {
            var reason = !curated.TryGetValue(symbol, out var state) ? "no curated rows"
                : state.Rows != state.Days || state.Rows != previous.Symbols[symbol].Rows ? "curated rows differ from the manifest"
                : null;
            if (reason is not null)
            {
                append.Remove(symbol);
                rebuild[symbol] = reason;
            }
        }

        // Appended bytes may still hold a day already curated (a correction written at the end): rebuild those.
        var staging = Stage(layout, options, current, append, rebuild, engine);
        stopwatch.Mark("stage, read and classify");
        try
        {
            var backdated = BackdatedSymbols(engine, append.Keys);
            if (backdated.Count > 0)
            {
                foreach (var symbol in backdated)
                {
                    append.Remove(symbol);
                    rebuild[symbol] = "appended rows dated on or before the last curated day";
                }

                staging.Dispose();
                staging = Stage(layout, options, current, append, rebuild, engine);
            }

            CuratedState.Forget(engine, rebuild.Keys.ToArray());
            cancellationToken.ThrowIfCancellationRequested();
            return Write(layout, options, previous, manifestPath, stopwatch, engine, staging, curated, listed, small, append.Keys.ToArray(), rebuild, remove);
        }
        finally
        {
            staging.Dispose();
        }
    }

    private static RawStaging Stage(
        LakeLayout layout,
        TransformOptions options,
        IReadOnlyDictionary<string, IReadOnlyList<RawFileInfo>> current,
        IReadOnlyDictionary<string, SymbolPlan> append,
        IReadOnlyDictionary<string, string> rebuild,
        DuckDbEngine engine)
    {
        var digests = new Dictionary<string, Core.Csv.RawFileDigests>(StringComparer.Ordinal);
        var slices = append.Values
            .SelectMany(p => p.Reads.Select(r => new RawSlice(p.Symbol, r.File.Path, r.Offset, layout.RecordedDigest(p.Symbol, r.File.Path, digests))))
            .Concat(rebuild.Keys.SelectMany(s => current.GetValueOrDefault(s, []).Select(f => new RawSlice(s, f.Path, 0, layout.RecordedDigest(s, f.Path, digests)))))
            .OrderBy(s => s.Path, StringComparer.Ordinal)
            .ToArray();
        var staging = RawStaging.Write(slices, TransformJob.StagingDirectory(options));
        try
        {
            RawPricesRelation.Create(engine, staging, PriceRules.LastTradeDate(options.Clock));
            return staging;
        }
        catch
        {
            staging.Dispose();
            throw;
        }
    }

    private static List<string> BackdatedSymbols(DuckDbEngine engine, IEnumerable<string> appended)
    {
        var candidates = appended.ToHashSet(StringComparer.Ordinal);
        return engine.Rows("""
                SELECT DISTINCT r.symbol FROM raw_prices r JOIN curated_summary c ON c.symbol = r.symbol
                WHERE r.trade_date <= c.last_date
                """)
            .Select(r => (string)r[0]!)
            .Where(candidates.Contains)
            .ToList();
    }

    private static TransformResult Write(
        LakeLayout layout,
        TransformOptions options,
        TransformManifest previous,
        string manifestPath,
        StageTimer stopwatch,
        DuckDbEngine engine,
        RawStaging staging,
        IReadOnlyDictionary<string, CuratedSymbol> curated,
        IReadOnlyDictionary<string, string[]> listed,
        IReadOnlySet<string> kept,
        IReadOnlyList<string> appended,
        IReadOnlyDictionary<string, string> rebuilt,
        IReadOnlyList<string> removed)
    {
        var run = previous.Runs + 1;
        var runFilePrefix = TransformJob.CuratedFilePrefix(run);
        var sql = SqlText.WithoutTrailingSemicolon(SqlLibrary.GetTransform("daily_metrics_incremental"));
        engine.Execute($"CREATE OR REPLACE TEMP TABLE metrics_new AS {sql}");
        stopwatch.Mark("metrics");
        var computed = engine.Rows("SELECT symbol, count(*) FROM metrics_new GROUP BY symbol")
            .ToDictionary(r => (string)r[0]!, r => Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);

        // A partition that has gathered enough small files, or is small, is rewritten as one file with its new rows.
        var compacted = appended
            .Where(s => computed.ContainsKey(s)
                && (curated[s].Rows < options.CompactBelowRows || curated[s].Files + 1 >= CompactionThreshold(s, options.CompactAtFiles)))
            .ToArray();
        var query = "SELECT * FROM metrics_new";
        var compactFiles = compacted.SelectMany(s => listed[s]).ToArray();
        var keptCompacted = compacted.Where(kept.Contains).ToArray();
        if (keptCompacted.Length > 0)
        {
            query += $" UNION ALL SELECT * FROM curated_kept WHERE symbol IN (SELECT unnest({SqlText.VarcharList(keptCompacted)}))";
        }

        var unreadFiles = compacted.Where(s => !kept.Contains(s)).SelectMany(s => listed[s]).ToArray();
        if (unreadFiles.Length > 0)
        {
            query += $"""
                 UNION ALL SELECT {DailyMetricsRelation.Columns}
                FROM read_parquet({SqlText.LiteralList(unreadFiles)}, hive_partitioning = true, hive_types = {"{'symbol': 'VARCHAR'}"})
                """;
        }

        var written = new Dictionary<string, IReadOnlyList<WrittenFile>>(StringComparer.Ordinal);
        if (computed.Count > 0 || compactFiles.Length > 0)
        {
            Directory.CreateDirectory(layout.DailyMetrics);
            // Materialized first (a day of 10,000 symbols is ~10,000 rows, a compacted small partition a few hundred), so the
            // writer learns what it wrote from the table instead of from per-file statistics. Not TEMP: the writer reads it
            // from sessions of its own.
            engine.Execute($"CREATE OR REPLACE TABLE curated_out AS {query}");
            written = CuratedWriter.CopyTable(engine, "curated_out", "symbol, trade_date", layout.DailyMetrics, runFilePrefix + "{i}")
                .FilesBySymbol.ToDictionary(StringComparer.Ordinal);
            engine.Execute("DROP TABLE curated_out");
        }

        stopwatch.Mark("write");

        // Saving the manifest makes the new files the table; then what they replace goes: the old files of the compacted
        // and rebuilt partitions, and the removed symbols'.
        var replaced = rebuilt.Keys.Concat(removed)
            .SelectMany(s => previous.Symbols.TryGetValue(s, out var old) ? old.Curated.Select(f => TransformManifest.CuratedPath(layout.DailyMetrics, s, f.Name)) : [])
            .Concat(compactFiles)
            .Where(File.Exists)
            .ToArray();
        var manifest = NextManifest(previous, run, staging, computed, written, appended, compacted, rebuilt, removed);
        manifest = manifest with { Carry = TransformManifest.CarryName(run) };
        CarryFile.SaveIncremental(engine, manifest.CarryPath(layout)!, manifest.Symbols.ToDictionary(s => s.Key, s => s.Value.Rows, StringComparer.Ordinal),
            appended, kept, rebuilt.Keys.ToArray(), options.CompactBelowRows);
        stopwatch.Mark("carry");
        CuratedCommit.Commit(layout, manifest, manifestPath, replaced, previous);
        var result = TransformStatistics.Build(engine, computed.Values.Sum(), computed.Keys.Order(StringComparer.Ordinal).ToArray(),
            options.ExcludedSampleLimit, stopwatch.Elapsed);
        stopwatch.Mark("manifest and statistics");
        return result with
        {
            Elapsed = stopwatch.Elapsed,
            StageTimings = stopwatch.Stages,
            Mode = TransformMode.Incremental,
            AppendedSymbols = appended.Where(computed.ContainsKey).Order(StringComparer.Ordinal).ToArray(),
            RebuiltSymbols = new SortedDictionary<string, string>(rebuilt.ToDictionary(), StringComparer.Ordinal),
            CompactedSymbols = compacted,
            RemovedSymbols = removed,
        };
    }

    private static TransformManifest NextManifest(
        TransformManifest previous,
        long run,
        RawStaging staging,
        IReadOnlyDictionary<string, long> computed,
        IReadOnlyDictionary<string, IReadOnlyList<WrittenFile>> written,
        IReadOnlyList<string> appended,
        IReadOnlyCollection<string> compacted,
        IReadOnlyDictionary<string, string> rebuilt,
        IReadOnlyList<string> removed)
    {
        var compactedSet = compacted.ToHashSet(StringComparer.Ordinal);
        var symbols = new Dictionary<string, SymbolState>(previous.Symbols, StringComparer.Ordinal);
        var staged = staging.Files.ToLookup(f => f.Symbol, StringComparer.Ordinal);
        foreach (var symbol in appended)
        {
            var old = symbols[symbol];
            var files = old.Files.ToDictionary(f => f.Name, StringComparer.Ordinal);
            foreach (var file in staged[symbol])
            {
                files[Path.GetFileName(file.Path)] = TransformJob.ToState(file);
            }

            var newFiles = CuratedCommit.Describe(written.GetValueOrDefault(symbol, []));
            var curated = compactedSet.Contains(symbol) ? newFiles : old.Curated.Concat(newFiles).OrderBy(f => f.Name, StringComparer.Ordinal).ToArray();
            symbols[symbol] = new SymbolState(old.Rows + computed.GetValueOrDefault(symbol), files.Values.OrderBy(f => f.Name, StringComparer.Ordinal).ToArray(), curated);
        }

        foreach (var symbol in rebuilt.Keys)
        {
            symbols[symbol] = new SymbolState(computed.GetValueOrDefault(symbol), staged[symbol].Select(TransformJob.ToState).ToArray(),
                CuratedCommit.Describe(written.GetValueOrDefault(symbol, [])));
        }

        foreach (var symbol in removed)
        {
            symbols.Remove(symbol);
        }

        return new TransformManifest(TransformManifest.CurrentVersion, run, symbols);
    }

    /// <summary>Spreads compaction over days: each symbol's threshold is in [atFiles, 2 x atFiles), fixed by its name (FNV-1a).</summary>
    internal static int CompactionThreshold(string symbol, int atFiles)
    {
        var hash = 2166136261u;
        foreach (var c in symbol)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return atFiles + (int)(hash % (uint)atFiles);
    }
}
