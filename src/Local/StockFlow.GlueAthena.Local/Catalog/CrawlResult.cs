namespace StockFlow.GlueAthena.Local.Catalog;

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

public sealed record SchemaChange(string TableName, SchemaChangeKind Kind, string Detail);

/// <summary>What one crawl did: the local equivalent of a Glue crawler's LastCrawl summary.</summary>
public sealed record CrawlResult(
    IReadOnlyList<string> TablesCreated,
    IReadOnlyList<string> TablesUpdated,
    int PartitionsAdded,
    int PartitionsRemoved,
    IReadOnlyList<SchemaChange> SchemaChanges,
    IReadOnlyList<string> Errors,
    TimeSpan Duration)
{
    public bool Succeeded => Errors.Count == 0;
}
