namespace StockFlow.GlueAthena.Local.Catalog;

/// <summary>A catalog file (table.json, partitions, versions) cannot be read; the message names it and how to repair it.</summary>
public sealed class CatalogCorruptException : IOException
{
    /// <summary>Without a message (for serializers and tests; the code always gives one).</summary>
    public CatalogCorruptException()
    {
    }

    /// <summary>With the sentence the user sees.</summary>
    public CatalogCorruptException(string message)
        : base(message)
    {
    }

    /// <summary>With the sentence the user sees and the error behind it.</summary>
    public CatalogCorruptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The damaged file.</summary>
    public string? Path { get; init; }
}
