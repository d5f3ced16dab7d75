namespace StockFlow.GlueAthena.Local.Catalog;

/// <summary>How a crawled dataset's schema differs from its catalog table.</summary>
public enum SchemaChangeKind
{
    /// <summary>A column appeared in the data: appended to the table, new version.</summary>
    ColumnAdded,

    /// <summary>A table column is absent from the data: kept in the table (reads as NULL).</summary>
    ColumnMissing,

    /// <summary>A numeric column's data needs a wider type (bigint -> double): the table column is widened, new version.</summary>
    TypeWidened,

    /// <summary>The data no longer fits the table (type, partition keys or format changed): reported, table kept.</summary>
    Incompatible,
}

/// <summary>One difference a crawl found between a table and its data.</summary>
/// <param name="TableName">The table.</param>
/// <param name="Kind">What changed, and so what the crawl did about it.</param>
/// <param name="Detail">A sentence naming the column and the types, for the user.</param>
public sealed record SchemaChange(string TableName, SchemaChangeKind Kind, string Detail);

/// <summary>What one crawl did: the local equivalent of a Glue crawler's LastCrawl summary.</summary>
/// <param name="TablesCreated">Tables the crawl created.</param>
/// <param name="TablesUpdated">Existing tables whose schema version or partitions changed.</param>
/// <param name="PartitionsAdded">Partitions found that the catalog did not list.</param>
/// <param name="PartitionsRemoved">Partitions the catalog listed whose folder is gone.</param>
/// <param name="SchemaChanges">Every difference found, including the incompatible ones that left a table unchanged.</param>
/// <param name="Errors">One message per target that could not be crawled (the other targets are still crawled).</param>
/// <param name="Duration">Wall time of the crawl.</param>
public sealed record CrawlResult(
    IReadOnlyList<string> TablesCreated,
    IReadOnlyList<string> TablesUpdated,
    int PartitionsAdded,
    int PartitionsRemoved,
    IReadOnlyList<SchemaChange> SchemaChanges,
    IReadOnlyList<string> Errors,
    TimeSpan Duration)
{
    /// <summary>Every target was crawled (schema changes, even incompatible ones, are not errors).</summary>
    public bool Succeeded => Errors.Count == 0;
}
