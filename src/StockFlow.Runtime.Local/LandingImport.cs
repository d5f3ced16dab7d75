namespace StockFlow.Runtime.Local;

/// <summary>
/// <c>--provider csv --source DIR</c>: copies every <c>&lt;SYMBOL&gt;.csv</c> of DIR to the lake's
/// <c>landing/</c> prefix, as a user would with <c>aws s3 cp</c>. The files are copied as they
/// are; validation happens in the ingest step so bad rows are quarantined, not lost.
/// </summary>
public static class LandingImport
{
    public static async Task<IReadOnlyList<string>> ImportAsync(string sourceDirectory, DataDirectory dataDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        if (!Directory.Exists(sourceDirectory))
        {
            throw new DirectoryNotFoundException($"The --source folder '{sourceDirectory}' does not exist.");
        }

        var files = Directory.EnumerateFiles(sourceDirectory, "*.csv", SearchOption.TopDirectoryOnly)
            .Concat(Directory.EnumerateFiles(sourceDirectory, "*.CSV", SearchOption.TopDirectoryOnly))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"The --source folder '{sourceDirectory}' has no <SYMBOL>.csv files.");
        }

        var landing = Path.Combine(dataDirectory.BucketRoot, "landing");
        Directory.CreateDirectory(landing);
        var symbols = new List<string>();
        foreach (var file in files)
        {
            var symbol = Core.Symbols.SymbolValidator.Validate(Path.GetFileNameWithoutExtension(file));
            var target = Path.Combine(landing, symbol + ".csv");
            var temporary = target + ".importing";
            await using (var input = File.OpenRead(file))
            await using (var output = File.Create(temporary))
            {
                await input.CopyToAsync(output, cancellationToken);
            }

            File.Move(temporary, target, overwrite: true);
            symbols.Add(symbol);
        }

        return symbols;
    }
}
