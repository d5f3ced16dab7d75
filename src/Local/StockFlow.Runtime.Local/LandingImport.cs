using StockFlow.Core.Symbols;

namespace StockFlow.Runtime.Local;

/// <summary>A file of the --source folder that was not imported, and why.</summary>
public sealed record SkippedImportFile(string FileName, string Reason);

/// <summary>What an import copied to landing/ (the symbols) and what it skipped with the reason.</summary>
public sealed record LandingImportResult(IReadOnlyList<string> Imported, IReadOnlyList<SkippedImportFile> Skipped);

/// <summary>
/// <c>--provider csv --source DIR</c>: copies every <c>&lt;SYMBOL&gt;.csv</c> of DIR to the lake's
/// <c>landing/</c> prefix, as a user would with <c>aws s3 cp</c>. The files are copied as they
/// are; validation happens in the ingest step so bad rows are quarantined, not lost. A file whose
/// name is not a valid symbol is skipped with its reason and counted, never aborting the others.
/// </summary>
public static class LandingImport
{
    /// <exception cref="LandingImportException">The folder is missing, is a file, has no CSV files, or none of them can be imported.</exception>
    public static async Task<LandingImportResult> ImportAsync(string sourceDirectory, DataDirectory dataDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceDirectory);
        ArgumentNullException.ThrowIfNull(dataDirectory);
        if (File.Exists(sourceDirectory))
        {
            throw new LandingImportException($"--source '{sourceDirectory}' is a file. Pass the folder that holds the <SYMBOL>.csv files.");
        }

        if (!Directory.Exists(sourceDirectory))
        {
            throw new LandingImportException($"--source '{sourceDirectory}' does not exist. Pass a folder of <SYMBOL>.csv files (Yahoo download format).");
        }

        var files = Directory.EnumerateFiles(sourceDirectory, "*", SearchOption.TopDirectoryOnly)
            .Where(f => Path.GetExtension(f).Equals(".csv", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
        {
            throw new LandingImportException($"--source '{sourceDirectory}' has no .csv files. Put one <SYMBOL>.csv per symbol (Yahoo download format) in it.");
        }

        var landing = Path.Combine(dataDirectory.BucketRoot, "landing");
        Directory.CreateDirectory(landing);
        var symbols = new List<string>();
        var skipped = new List<SkippedImportFile>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            if (!SymbolValidator.TryValidate(Path.GetFileNameWithoutExtension(file), out var symbol, out var rule))
            {
                skipped.Add(new SkippedImportFile(name, $"the file name is not a symbol: {rule}"));
                continue;
            }

            if (seen.TryGetValue(symbol, out var first))
            {
                // AAPL.csv and aapl.csv name one symbol: importing both would let the order decide.
                skipped.Add(new SkippedImportFile(name, $"{first} already names symbol {symbol}"));
                continue;
            }

            seen[symbol] = name;
            var target = Path.Combine(landing, symbol + ".csv");
            var temporary = target + ".importing";
            try
            {
                await using (var input = File.OpenRead(file))
                await using (var output = File.Create(temporary))
                {
                    await input.CopyToAsync(output, cancellationToken);
                }

                File.Move(temporary, target, overwrite: true);
                symbols.Add(symbol);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                File.Delete(temporary);
                skipped.Add(new SkippedImportFile(name, $"it cannot be read ({e.Message})"));
            }
        }

        if (symbols.Count == 0)
        {
            throw new LandingImportException(
                $"None of the {files.Length} .csv file(s) in --source '{sourceDirectory}' can be imported: " +
                string.Join("; ", skipped.Select(s => $"{SymbolValidator.Printable(s.FileName)}: {s.Reason}")) +
                ". Name each file <SYMBOL>.csv (letters, digits and . - ^ =, e.g. BRK-B.csv).");
        }

        return new LandingImportResult(symbols, skipped);
    }
}
