using System.Reflection;

namespace StockFlow.GlueAthena.Local.Sql;

/// <summary>The shared SQL files (sql/transform, sql/queries) embedded in this assembly.</summary>
public static class SqlLibrary
{
    private const string QueryPrefix = "sql/queries/";
    private const string TransformPrefix = "sql/transform/";
    private const string Extension = ".sql";

    private static readonly Assembly Owner = typeof(SqlLibrary).Assembly;

    /// <summary>Names of the analysis queries (file names under sql/queries without .sql), sorted.</summary>
    public static IReadOnlyList<string> QueryNames { get; } = NamesUnder(QueryPrefix);

    /// <summary>Names of the transforms (file names under sql/transform without .sql), sorted.</summary>
    public static IReadOnlyList<string> TransformNames { get; } = NamesUnder(TransformPrefix);

    /// <summary>Text of an analysis query, e.g. GetQuery("average_return").</summary>
    public static string GetQuery(string name) => Get(QueryPrefix + RequireSimpleName(name) + Extension);

    /// <summary>Text of a transform, e.g. GetTransform("daily_metrics").</summary>
    public static string GetTransform(string name) => Get(TransformPrefix + RequireSimpleName(name) + Extension);

    /// <summary>Text of an embedded file by its repository path, e.g. "sql/queries/average_return.sql".</summary>
    public static string Get(string resourcePath)
    {
        ArgumentNullException.ThrowIfNull(resourcePath);
        using var stream = Owner.GetManifestResourceStream(resourcePath)
            ?? throw new KeyNotFoundException(
                $"No embedded SQL '{resourcePath}'. Known: {string.Join(", ", AllResourcePaths())}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Every embedded SQL file path.</summary>
    public static IReadOnlyList<string> AllResourcePaths() =>
        Owner.GetManifestResourceNames()
            .Where(n => n.StartsWith("sql/", StringComparison.Ordinal) && n.EndsWith(Extension, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static string[] NamesUnder(string prefix) =>
        AllResourcePaths()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => n[prefix.Length..^Extension.Length])
            .Where(n => !n.Contains('/', StringComparison.Ordinal))
            .ToArray();

    private static string RequireSimpleName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"SQL name '{name}' must be a plain file name without path separators.", nameof(name));
        }

        return name;
    }
}
