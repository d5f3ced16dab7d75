namespace StockFlow.GlueAthena.Local.Catalog;

/// <summary>The data files of one partition (Hive key=value folders) of a dataset.</summary>
public sealed record PartitionFiles(IReadOnlyList<string> Values, string Location, IReadOnlyList<string> Files);

/// <summary>The files of a dataset prefix grouped by Hive partition, and the format they share.</summary>
public sealed record DatasetFiles(string Classification, IReadOnlyList<string> PartitionKeys, IReadOnlyList<PartitionFiles> Partitions);

/// <summary>Walks a dataset prefix like a Glue crawler: Hive partitions, classification by file type.</summary>
public static class DatasetScanner
{
    /// <returns>null when the prefix holds no data files.</returns>
    public static DatasetFiles? Scan(string datasetDirectory)
    {
        if (!Directory.Exists(datasetDirectory))
        {
            return null;
        }

        var files = Directory.EnumerateFiles(datasetDirectory, "*", SearchOption.AllDirectories)
            .Where(f => !IsIgnored(Path.GetRelativePath(datasetDirectory, f)))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
        {
            return null;
        }

        var classification = Classify(files);
        IReadOnlyList<string>? keys = null;
        var partitions = new SortedDictionary<string, (List<string> Values, List<string> Files)>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(datasetDirectory, file);
            var folders = relative.Split(Path.DirectorySeparatorChar)[..^1];
            var pairs = folders.Select(f => f.Split('=', 2)).ToArray();
            if (pairs.Any(p => p.Length != 2 || p[0].Length == 0))
            {
                throw new InvalidDataException(
                    $"'{relative}' is not in a key=value (Hive) partition folder like the other files of '{datasetDirectory}'.");
            }

            var fileKeys = pairs.Select(p => p[0]).ToArray();
            keys ??= fileKeys;
            if (!keys.SequenceEqual(fileKeys, StringComparer.Ordinal))
            {
                throw new InvalidDataException(
                    $"'{relative}' is partitioned by ({string.Join(", ", fileKeys)}) but other files by ({string.Join(", ", keys)}).");
            }

            var location = Path.Combine([datasetDirectory, .. folders]) + Path.DirectorySeparatorChar;
            if (!partitions.TryGetValue(location, out var partition))
            {
                partition = (pairs.Select(p => Uri.UnescapeDataString(p[1])).ToList(), []);
                partitions[location] = partition;
            }

            partition.Files.Add(file);
        }

        return new DatasetFiles(
            classification,
            keys ?? [],
            partitions.Select(p => new PartitionFiles(p.Value.Values, p.Key, p.Value.Files)).ToArray());
    }

    /// <summary>Like Glue: hidden files, '_' markers (e.g. _SUCCESS) and in-flight temp files are not data.</summary>
    private static bool IsIgnored(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar).Any(s => s.StartsWith('.') || s.StartsWith('_'))
        || relativePath.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)
        || relativePath.EndsWith(".crc", StringComparison.OrdinalIgnoreCase);

    private static string Classify(IEnumerable<string> files)
    {
        var kinds = files
            .Select(f => Path.GetExtension(f).ToLowerInvariant() switch
            {
                ".csv" => "csv",
                ".parquet" => "parquet",
                _ => throw new InvalidDataException($"'{f}' is neither CSV nor Parquet; the crawler cannot classify it."),
            })
            .Distinct()
            .ToArray();
        if (kinds.Length > 1)
        {
            throw new InvalidDataException($"The dataset mixes formats ({string.Join(", ", kinds)}); one table needs one format.");
        }

        return kinds[0];
    }
}
