using System.Text.Json;
using System.Text.RegularExpressions;

namespace StockFlow.Analytics.Catalog;

/// <summary>
/// The local Glue Data Catalog: one folder per database, one per table holding table.json (GetTable response),
/// partitions.json (GetPartitions response) and versions.json (GetTableVersions response).
/// </summary>
public sealed partial class LocalCatalog
{
    public const string DefaultDatabase = "stockflow";

    private const string TableFile = "table.json";
    private const string PartitionsFile = "partitions.json";
    private const string VersionsFile = "versions.json";

    public LocalCatalog(string catalogDir, string databaseName = DefaultDatabase)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(catalogDir);
        RequireName(databaseName, "database");
        DatabaseName = databaseName;
        DatabaseDirectory = Path.Combine(Path.GetFullPath(catalogDir), databaseName);
    }

    public static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = true };

    public string DatabaseName { get; }

    public string DatabaseDirectory { get; }

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

    public GlueTable? TryGetTable(string tableName)
    {
        var path = Path.Combine(TableDirectory(tableName), TableFile);
        return File.Exists(path) ? Load<GetTableResponse>(path).Table : null;
    }

    public IReadOnlyList<GluePartition> GetPartitions(string tableName)
    {
        GetTable(tableName);
        var path = Path.Combine(TableDirectory(tableName), PartitionsFile);
        return File.Exists(path) ? Load<GetPartitionsResponse>(path).Partitions : [];
    }

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
        WriteAtomically(Path.Combine(directory, PartitionsFile), new GetPartitionsResponse(partitions));
        WriteAtomically(Path.Combine(directory, VersionsFile), new GetTableVersionsResponse(versions));
        WriteAtomically(Path.Combine(directory, TableFile), new GetTableResponse(table));
    }

    private string TableDirectory(string tableName)
    {
        RequireName(tableName, "table");
        return Path.Combine(DatabaseDirectory, tableName);
    }

    private static T Load<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"Catalog file '{path}' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Catalog file '{path}' is not valid catalog JSON: {e.Message}", e);
        }
    }

    private static void WriteAtomically<T>(string path, T value)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(value, JsonOptions));
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
