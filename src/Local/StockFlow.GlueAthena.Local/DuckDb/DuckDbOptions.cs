using System.Text.RegularExpressions;

namespace StockFlow.GlueAthena.Local.DuckDb;

/// <summary>Resource limits for a local DuckDB run (the local stand-in for a Glue job's workers). A new instance sets
/// nothing and leaves every limit to DuckDB; the pipeline sets <see cref="MemoryLimit"/> from <c>Pipeline:DuckDbMemoryLimit</c>.</summary>
public sealed partial record DuckDbOptions
{
    /// <summary>DuckDB memory_limit, e.g. "2GB" or "512MiB". Default null: DuckDB's default (80% of RAM).</summary>
    public string? MemoryLimit { get; init; }

    /// <summary>Worker threads. Default null: DuckDB's default (one per core).</summary>
    public int? Threads { get; init; }

    /// <summary>Where DuckDB spills when data exceeds the memory limit. Default null: DuckDB's own choice, and the transform stages its Parquet under the system temp folder.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public void CheckValid() => Validate();

    internal void Validate()
    {
        if (MemoryLimit is not null && !MemoryLimitPattern().IsMatch(MemoryLimit))
        {
            throw new ArgumentException(
                $"Memory limit '{MemoryLimit}' is not a size such as 512MB, 2GB or 1.5GiB.", nameof(MemoryLimit));
        }

        if (Threads is < 1)
        {
            throw new ArgumentException($"Threads must be at least 1 (was {Threads}).", nameof(Threads));
        }
    }

    [GeneratedRegex(@"^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", RegexOptions.CultureInvariant)]
    private static partial Regex MemoryLimitPattern();
}
