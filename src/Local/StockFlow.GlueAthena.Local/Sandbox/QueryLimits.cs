using System.Text.RegularExpressions;

namespace StockFlow.GlueAthena.Local.Sandbox;

/// <summary>What one sandboxed query may use: <c>stockflow query --timeout / --memory-limit</c>.</summary>
public sealed partial record QueryLimits
{
    /// <summary>Default time limit: 2 minutes (the whole 500 × 10-year lake aggregates in seconds).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Default memory limit: 2GB (DuckDB's memory_limit; DuckDB's own default is 80 % of RAM).</summary>
    public const string DefaultMemoryLimit = "2GB";

    /// <summary>How long a query may run before it is interrupted; default <see cref="DefaultTimeout"/>.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>DuckDB memory_limit such as 512MB or 2GB; default <see cref="DefaultMemoryLimit"/>.</summary>
    public string MemoryLimit { get; init; } = DefaultMemoryLimit;

    /// <exception cref="ArgumentException">A limit that is not positive, or a size DuckDB does not read.</exception>
    public void Validate()
    {
        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"The query timeout must be positive (was {Timeout.TotalSeconds} s).", nameof(Timeout));
        }

        if (!MemoryPattern().IsMatch(MemoryLimit ?? string.Empty))
        {
            throw new ArgumentException($"The memory limit '{MemoryLimit}' is not a size such as 512MB, 2GB or 1.5GiB.", nameof(MemoryLimit));
        }
    }

    [GeneratedRegex(@"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", RegexOptions.CultureInvariant)]
    private static partial Regex MemoryPattern();
}
