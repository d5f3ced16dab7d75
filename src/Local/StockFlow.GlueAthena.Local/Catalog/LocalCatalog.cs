using System.Text.Json;
using System.Text.RegularExpressions;

namespace StockFlow.GlueAthena.Local.Catalog;

/// <summary>
/// The local Glue Data Catalog: one folder per database, one per table holding table.json (GetTable response),
/// partitions.json (GetPartitions response) and versions.json (GetTableVersions response).
/// </summary>
public sealed partial class LocalCatalog
{
    /// <summary>The database the pipeline's tables are in, locally and on AWS.</summary>
    public const string DefaultDatabase = "stockflow";

    private const string TableFile = "table.json";
    private const string PartitionsFile = "partitions.json";
    private const string VersionsFile = "versions.json";

    /// <summary>A catalog under <paramref name="catalogDir"/>; nothing is read or created until used.</summary>
    /// <param name="catalogDir">The catalog's root folder (one sub-folder per database).</param>
    /// <param name="databaseName">Lower-case letters, digits and '_'.</param>
    /// <exception cref="ArgumentException">The database name is not such a name.</exception>
    public LocalCatalog(string catalogDir, string databaseName = DefaultDatabase)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(catalogDir);
        RequireName(databaseName, "database");
        DatabaseName = databaseName;
        DatabaseDirectory = Path.Combine(Path.GetFullPath(catalogDir), databaseName);
    }

    /// <summary>How catalog files are written (indented, Glue's property names); the CLI prints entries with it too.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = true };

    // partitions.json holds one Glue partition per symbol (10,000 of them at market scale, 23 MB indented): written
    // without indentation it is half the size and quicker to write and read again on every crawl.
    private static readonly JsonSerializerOptions CompactJson = new();

    /// <summary>The catalog database.</summary>
    public string DatabaseName { get; }

    /// <summary>The database's folder, absolute: one sub-folder per table.</summary>
    public string DatabaseDirectory { get; }

    /// <summary>The names of the tables in the catalog, without reading their entries.</summary>
    public IReadOnlyList<string> TableNames()
    {
        if (!Directory.Exists(DatabaseDirectory))
        {
            return [];
        }

        return Directory.EnumerateDirectories(DatabaseDirectory)
            .Where(d => File.Exists(Path.Combine(d, TableFile)))
            .Select(d => Path.GetFileName(d))
            .Where(n => NamePattern().IsMatch(n))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Every table, by name; none when the database folder does not exist yet.</summary>
    /// <exception cref="CatalogCorruptException">A <c>table.json</c> cannot be read.</exception>
    public IReadOnlyList<GlueTable> GetTables()
    {
        if (!Directory.Exists(DatabaseDirectory))
        {
            return [];
        }

        return Directory.EnumerateDirectories(DatabaseDirectory)
            .Select(d => Path.Combine(d, TableFile))
            .Where(File.Exists)
            .Select(f => Load<GetTableResponse>(f).Table)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToArray();
    }

    /// <exception cref="KeyNotFoundException">Like Glue's EntityNotFoundException.</exception>
    public GlueTable GetTable(string tableName) =>
        TryGetTable(tableName) ?? throw new KeyNotFoundException(
            $"EntityNotFoundException: table {DatabaseName}.{tableName} not found in the local catalog at '{DatabaseDirectory}'.");

    /// <summary>The table, or null when it has not been crawled.</summary>
    /// <exception cref="CatalogCorruptException">Its <c>table.json</c> cannot be read.</exception>
    public GlueTable? TryGetTable(string tableName)
    {
        var path = Path.Combine(TableDirectory(tableName), TableFile);
        return File.Exists(path) ? Load<GetTableResponse>(path).Table : null;
    }

    /// <summary>The table's partitions (none for an unpartitioned table).</summary>
    /// <exception cref="KeyNotFoundException">No such table (Glue's EntityNotFoundException).</exception>
    /// <exception cref="CatalogCorruptException">A catalog file of the table cannot be read.</exception>
    public IReadOnlyList<GluePartition> GetPartitions(string tableName)
    {
        GetTable(tableName);
        var path = Path.Combine(TableDirectory(tableName), PartitionsFile);
        return File.Exists(path) ? Load<GetPartitionsResponse>(path).Partitions : [];
    }

    /// <summary>The table's schema versions, oldest first.</summary>
    /// <exception cref="KeyNotFoundException">No such table (Glue's EntityNotFoundException).</exception>
    /// <exception cref="CatalogCorruptException">A catalog file of the table cannot be read.</exception>
    public IReadOnlyList<GlueTableVersion> GetTableVersions(string tableName)
    {
        GetTable(tableName);
        var path = Path.Combine(TableDirectory(tableName), VersionsFile);
        return File.Exists(path) ? Load<GetTableVersionsResponse>(path).TableVersions : [];
    }

    internal void Save(GlueTable table, IReadOnlyList<GluePartition> partitions, IReadOnlyList<GlueTableVersion> versions)
    {
        var directory = TableDirectory(table.Name);
        Directory.CreateDirectory(directory);
        // Partitions and versions first: a reader that sees the new table.json also sees what it refers to.
        WriteAtomically(Path.Combine(directory, PartitionsFile), new GetPartitionsResponse(partitions), CompactJson);
        WriteAtomically(Path.Combine(directory, VersionsFile), new GetTableVersionsResponse(versions), JsonOptions);
        WriteAtomically(Path.Combine(directory, TableFile), new GetTableResponse(table), JsonOptions);
    }

    private string TableDirectory(string tableName)
    {
        RequireName(tableName, "table");
        return Path.Combine(DatabaseDirectory, tableName);
    }

    /// <summary>
    /// Moves a table's damaged catalog folder out of the database (to <c>&lt;catalog&gt;/set-aside/</c>) so a crawl can
    /// write it again from the lake; returns where it went.
    /// </summary>
    public string SetAsideTable(string tableName)
    {
        var directory = TableDirectory(tableName);
        var target = Path.Combine(Path.GetDirectoryName(DatabaseDirectory)!, "set-aside", DatabaseName,
            $"{tableName}-{DateTime.UtcNow:yyyyMMddTHHmmssfff}");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        Directory.Move(directory, target);
        return target;
    }

    private static T Load<T>(string path)
    {
        try
        {
            // Parsed from the file's UTF-8 bytes, never decoded to a string first.
            return JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), JsonOptions)
                ?? throw Corrupt(path, "it holds JSON null", null);
        }
        catch (JsonException e)
        {
            throw Corrupt(path, e.Message, e);
        }
    }

    private static CatalogCorruptException Corrupt(string path, string reason, Exception? inner)
    {
        var folder = Path.GetDirectoryName(path)!;
        var message = $"The catalog file '{path}' is damaged ({reason}). The lake still holds the data: remove the table's catalog entry " +
            $"(rm -r '{folder}') or let the next `stockflow run` set it aside, and the crawl writes it again.";
        return inner is null ? new CatalogCorruptException(message) { Path = path } : new CatalogCorruptException(message, inner) { Path = path };
    }

    private static void WriteAtomically<T>(string path, T value, JsonSerializerOptions options)
    {
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(value, options));
        File.Move(temp, path, overwrite: true);
    }

    private static void RequireName(string name, string what)
    {
        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"Invalid {what} name '{name}': use lower-case letters, digits and '_'.");
        }
    }

    [GeneratedRegex("^[a-z0-9_]{1,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
