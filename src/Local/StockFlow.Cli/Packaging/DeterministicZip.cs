using System.IO.Compression;

namespace StockFlow.Cli.Packaging;

/// <summary>
/// Zips a folder so the same files always give the same bytes: entries sorted by path, one
/// fixed timestamp, fixed Unix modes (the executable bit only where asked), no directory
/// entries. Pulumi compares archive hashes, so an unchanged bundle deploys as "no change".
/// </summary>
public static class DeterministicZip
{
    /// <summary>The earliest time a zip (DOS) timestamp can hold; every entry gets it.</summary>
    public static readonly DateTimeOffset FixedTimestamp = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const int RegularFile = 0x8000; // S_IFREG

    /// <summary>Zips every file under <paramref name="sourceDirectory"/> that <paramref name="include"/> takes, in ordinal
    /// path order, each with <see cref="FixedTimestamp"/>.</summary>
    /// <param name="sourceDirectory">The folder whose files go in, at paths relative to it.</param>
    /// <param name="destination">Where the zip is written.</param>
    /// <param name="executables">Paths (relative, '/'-separated) stored with mode 0755; every other file is 0644.</param>
    /// <param name="include">Which relative paths go in (null: every file).</param>
    public static void Write(string sourceDirectory, Stream destination, IReadOnlySet<string> executables, Func<string, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(executables);
        var root = Path.GetFullPath(sourceDirectory);
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(path => (Path: path, Name: Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/')))
            .Where(file => include?.Invoke(file.Name) ?? true)
            .OrderBy(file => file.Name, StringComparer.Ordinal)
            .ToList();
        using var archive = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (path, name) in files)
        {
            var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
            entry.LastWriteTime = FixedTimestamp;
            var mode = executables.Contains(name) ? Convert.ToInt32("755", 8) : Convert.ToInt32("644", 8);
            entry.ExternalAttributes = (RegularFile | mode) << 16;
            using var input = File.OpenRead(path);
            using var output = entry.Open();
            input.CopyTo(output);
        }
    }
}
