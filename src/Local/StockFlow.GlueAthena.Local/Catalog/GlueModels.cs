namespace StockFlow.GlueAthena.Local.Catalog;

// Shapes of the Glue Data Catalog API (GetTable, GetTables, GetPartitions, GetTableVersions), so local callers
// and JSON paths in the state machine see the same structure as on AWS.

public sealed record GlueColumn(string Name, string Type);

public sealed record GlueSerDeInfo(string SerializationLibrary, IReadOnlyDictionary<string, string> Parameters);

public sealed record GlueStorageDescriptor(
    IReadOnlyList<GlueColumn> Columns,
    string Location,
    string InputFormat,
    string OutputFormat,
    bool Compressed,
    GlueSerDeInfo SerdeInfo,
    IReadOnlyDictionary<string, string> Parameters);

public sealed record GlueTable(
    string Name,
    string DatabaseName,
    GlueStorageDescriptor StorageDescriptor,
    IReadOnlyList<GlueColumn> PartitionKeys,
    string TableType,
    IReadOnlyDictionary<string, string> Parameters,
    string VersionId,
    DateTimeOffset CreateTime,
    DateTimeOffset UpdateTime)
{
    public string Classification => Parameters.TryGetValue("classification", out var value) ? value : "";
}

public sealed record GluePartition(
    IReadOnlyList<string> Values,
    string DatabaseName,
    string TableName,
    GlueStorageDescriptor StorageDescriptor,
    IReadOnlyDictionary<string, string> Parameters,
    DateTimeOffset CreationTime);

public sealed record GlueTableVersion(GlueTable Table, string VersionId);

public sealed record GetTableResponse(GlueTable Table);

public sealed record GetPartitionsResponse(IReadOnlyList<GluePartition> Partitions);

public sealed record GetTableVersionsResponse(IReadOnlyList<GlueTableVersion> TableVersions);
