namespace StockFlow.GlueAthena.Local.Catalog;

// Shapes of the Glue Data Catalog API (GetTable, GetTables, GetPartitions, GetTableVersions), so local callers
// and JSON paths in the state machine see the same structure as on AWS.

/// <summary>A table or partition column (Glue's <c>Column</c>).</summary>
/// <param name="Name">Lower-case column name, as Glue stores it.</param>
/// <param name="Type">A Hive type name: <c>bigint</c>, <c>double</c>, <c>date</c>, <c>string</c>... (see <see cref="GlueTypes"/>).</param>
public sealed record GlueColumn(string Name, string Type);

/// <summary>How rows are (de)serialized (Glue's <c>SerDeInfo</c>).</summary>
/// <param name="SerializationLibrary">The SerDe class: OpenCSVSerde for CSV tables, ParquetHiveSerDe for Parquet.</param>
/// <param name="Parameters">The SerDe's settings (separator and quote character for CSV).</param>
public sealed record GlueSerDeInfo(string SerializationLibrary, IReadOnlyDictionary<string, string> Parameters);

/// <summary>Where a table's or partition's files are and how to read them (Glue's <c>StorageDescriptor</c>).</summary>
/// <param name="Columns">The data columns, partition keys excluded.</param>
/// <param name="Location">The folder of the files: an absolute local path ending in a separator (an <c>s3://</c> prefix on AWS).</param>
/// <param name="InputFormat">The Hive input format class (text for CSV, MapredParquetInputFormat for Parquet).</param>
/// <param name="OutputFormat">The Hive output format class.</param>
/// <param name="Compressed">Whether the files are compressed; always false here (the lake's CSV is plain, Parquet compresses inside).</param>
/// <param name="SerdeInfo">The row format.</param>
/// <param name="Parameters">Format details the crawler records: <c>classification</c>, and for CSV the delimiter and <c>skip.header.line.count</c>.</param>
public sealed record GlueStorageDescriptor(
    IReadOnlyList<GlueColumn> Columns,
    string Location,
    string InputFormat,
    string OutputFormat,
    bool Compressed,
    GlueSerDeInfo SerdeInfo,
    IReadOnlyDictionary<string, string> Parameters);

/// <summary>A catalog table (Glue's <c>Table</c>, as GetTable returns it).</summary>
/// <param name="Name">The table name (lower case, as a <see cref="CrawlerTarget"/> names it).</param>
/// <param name="DatabaseName">The catalog database, <see cref="LocalCatalog.DefaultDatabase"/> unless configured.</param>
/// <param name="StorageDescriptor">Columns, location and format.</param>
/// <param name="PartitionKeys">The Hive partition columns from the folder names (e.g. <c>symbol</c>), typed string as the crawler types them.</param>
/// <param name="TableType">Always <c>EXTERNAL_TABLE</c>: the data lives in the lake, dropping the table keeps it.</param>
/// <param name="Parameters">The crawler's table properties: <c>classification</c>, <c>recordCount</c>, <c>objectCount</c>, <c>sizeKey</c> and the CSV settings.</param>
/// <param name="VersionId">"1" for a new table, one more for each compatible schema change (see <see cref="GetTableVersionsResponse"/>).</param>
/// <param name="CreateTime">When the table was first crawled.</param>
/// <param name="UpdateTime">When a crawl last wrote it.</param>
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
    /// <summary>The data format, <c>csv</c> or <c>parquet</c> (the <c>classification</c> parameter); empty when not recorded.</summary>
    public string Classification => Parameters.TryGetValue("classification", out var value) ? value : "";
}

/// <summary>One Hive partition of a table (Glue's <c>Partition</c>).</summary>
/// <param name="Values">The partition key values, in <see cref="GlueTable.PartitionKeys"/> order (e.g. <c>["AAPL"]</c> for <c>symbol=AAPL</c>).</param>
/// <param name="DatabaseName">The catalog database.</param>
/// <param name="TableName">The table it belongs to.</param>
/// <param name="StorageDescriptor">The partition's folder; columns and format follow the table's (Glue's "update all partitions from the table").</param>
/// <param name="Parameters">The partition's counts: <c>recordCount</c>, <c>objectCount</c>, <c>sizeKey</c> (bytes), <c>averageRecordSize</c>.</param>
/// <param name="CreationTime">When a crawl first found the partition; kept by later crawls.</param>
public sealed record GluePartition(
    IReadOnlyList<string> Values,
    string DatabaseName,
    string TableName,
    GlueStorageDescriptor StorageDescriptor,
    IReadOnlyDictionary<string, string> Parameters,
    DateTimeOffset CreationTime);

/// <summary>A table as it was at one schema version (Glue's <c>TableVersion</c>).</summary>
/// <param name="Table">The table at that version.</param>
/// <param name="VersionId">Equal to <see cref="GlueTable.VersionId"/> of <paramref name="Table"/>.</param>
public sealed record GlueTableVersion(GlueTable Table, string VersionId);

/// <summary>GetTable's answer; also the content of a table's <c>table.json</c>.</summary>
/// <param name="Table">The table.</param>
public sealed record GetTableResponse(GlueTable Table);

/// <summary>GetPartitions' answer (all pages at once); also the content of <c>partitions.json</c>.</summary>
/// <param name="Partitions">Every partition of the table.</param>
public sealed record GetPartitionsResponse(IReadOnlyList<GluePartition> Partitions);

/// <summary>GetTableVersions' answer; also the content of <c>versions.json</c>.</summary>
/// <param name="TableVersions">One entry per schema version, oldest first.</param>
public sealed record GetTableVersionsResponse(IReadOnlyList<GlueTableVersion> TableVersions);
