namespace StockFlow.GlueAthena.Local.Transform;

/// <summary>A raw file as it is now.</summary>
public sealed record RawFileInfo(string Name, string Path, long Size, long ModifiedTicks);

/// <summary>What an incremental run does with one symbol's curated rows.</summary>
public enum SymbolAction
{
    /// <summary>Raw files as the manifest recorded them: nothing to read, its curated files stay.</summary>
    Unchanged,

    /// <summary>Only new bytes at the end of raw files (or new files): read just those.</summary>
    Append,

    /// <summary>Earlier raw content changed or vanished: recompute the symbol from all its files.</summary>
    Rebuild,

    /// <summary>No raw files any more: remove the curated rows.</summary>
    Remove,
}

/// <summary>What an incremental run does with one symbol; <see cref="Reads"/> are (file, first byte to read).</summary>
public sealed record SymbolPlan(string Symbol, SymbolAction Action, IReadOnlyList<(RawFileInfo File, long Offset)> Reads, string? Reason);

/// <summary>
/// Compares the raw files with the manifest of the last transform. Unchanged = same size and modification time (as
/// make and rsync judge). A changed file counts as appended only if its old bytes are intact (same hash of the first
/// old-size bytes, which ended at a record boundary); anything else rebuilds the symbol.
/// </summary>
public static class ChangePlanner
{
    /// <param name="current">Raw files per symbol now, in key order.</param>
    /// <param name="manifest">The last transform's manifest (<see cref="TransformManifest.Empty"/> when there was none).</param>
    /// <param name="scope">Symbols to look at; null = all symbols in <paramref name="current"/> or the manifest.</param>
    /// <param name="onlyAppended">Whether <c>file</c> still starts with exactly the bytes recorded in <c>old</c> (and they end a record).</param>
    public static IReadOnlyList<SymbolPlan> Plan(
        IReadOnlyDictionary<string, IReadOnlyList<RawFileInfo>> current,
        TransformManifest manifest,
        IReadOnlyCollection<string>? scope,
        Func<RawFileInfo, RawFileState, bool> onlyAppended)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(onlyAppended);
        var symbols = (scope ?? current.Keys.Concat(manifest.Symbols.Keys).ToArray())
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        var plans = new List<SymbolPlan>();
        foreach (var symbol in symbols)
        {
            var files = current.GetValueOrDefault(symbol) ?? [];
            var known = manifest.Symbols.GetValueOrDefault(symbol);
            plans.Add(PlanSymbol(symbol, files, known, onlyAppended));
        }

        return plans;
    }

    private static SymbolPlan PlanSymbol(string symbol, IReadOnlyList<RawFileInfo> files, SymbolState? known, Func<RawFileInfo, RawFileState, bool> onlyAppended)
    {
        if (known is null)
        {
            return files.Count == 0
                ? new SymbolPlan(symbol, SymbolAction.Unchanged, [], "no raw files")
                : Rebuild(symbol, files, "new symbol");
        }

        if (files.Count == 0)
        {
            return new SymbolPlan(symbol, SymbolAction.Remove, [], "raw files removed");
        }

        var now = files.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var gone = known.Files.FirstOrDefault(f => !now.ContainsKey(f.Name));
        if (gone is not null)
        {
            return Rebuild(symbol, files, $"{gone.Name} was removed");
        }

        var before = known.Files.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var reads = new List<(RawFileInfo, long)>();
        foreach (var file in files)
        {
            if (!before.TryGetValue(file.Name, out var old))
            {
                reads.Add((file, 0));
            }
            else if (file.Size != old.Size || file.ModifiedTicks != old.ModifiedTicks)
            {
                if (file.Size < old.Size || !onlyAppended(file, old))
                {
                    return Rebuild(symbol, files, $"{file.Name} changed before its end");
                }

                // Same size and same bytes: only touched.
                if (file.Size > old.Size)
                {
                    reads.Add((file, old.Size));
                }
            }
        }

        return reads.Count == 0
            ? new SymbolPlan(symbol, SymbolAction.Unchanged, [], null)
            : new SymbolPlan(symbol, SymbolAction.Append, reads, null);
    }

    private static SymbolPlan Rebuild(string symbol, IReadOnlyList<RawFileInfo> files, string reason) =>
        new(symbol, SymbolAction.Rebuild, files.Select(f => (f, 0L)).ToArray(), reason);
}
