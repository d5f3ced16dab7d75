namespace StockFlow.GlueAthena.Local.Catalog;

/// <summary>A catalog file (table.json, partitions, versions) cannot be read; the message names it and how to repair it.</summary>
public sealed class CatalogCorruptException : IOException
{
    public CatalogCorruptException()
    {
    }

    public CatalogCorruptException(string message)
        : base(message)
    {
    }

    public CatalogCorruptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The damaged file.</summary>
    public string? Path { get; init; }
}
