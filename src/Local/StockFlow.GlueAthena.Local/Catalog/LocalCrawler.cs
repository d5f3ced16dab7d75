using System.Diagnostics;
using System.Globalization;
using StockFlow.GlueAthena.Local.DuckDb;
using StockFlow.Csv;

namespace StockFlow.GlueAthena.Local.Catalog;

/// <summary>
/// The local stand-in for a Glue crawler: one table per dataset prefix, Hive partitions, CSV header and type
/// inference, Parquet schemas, a new table version per compatible schema change, incompatible changes reported.
/// </summary>
public static class LocalCrawler
{
    /// <summary>
    /// Crawls each target's folder under <paramref name="lakeRoot"/> into its table. A target that cannot be crawled
    /// (unreadable file, mixed headers) is reported in <see cref="CrawlResult.Errors"/> and the others still run.
    /// </summary>
    /// <param name="lakeRoot">The local lake (bucket) folder.</param>
    /// <param name="catalogDir">The catalog's root folder.</param>
    /// <param name="targets">The datasets to crawl, usually <see cref="CrawlerTarget.Defaults"/>.</param>
    /// <param name="databaseName">The catalog database.</param>
    /// <param name="clock">Stamps create and update times; null = system clock.</param>
    /// <param name="cancellationToken">Stops between targets.</param>
    /// <param name="writtenFiles">Files a job just wrote, by full path, with their schema: their footers are not read again. Null = read every file.</param>
    public static Task<CrawlResult> CrawlAsync(
        string lakeRoot,
        string catalogDir,
        IReadOnlyList<CrawlerTarget> targets,
        string databaseName = LocalCatalog.DefaultDatabase,
        TimeProvider? clock = null,
        CancellationToken cancellationToken = default,
        IReadOnlyDictionary<string, FileSchema>? writtenFiles = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var layout = new LakeLayout(lakeRoot);
        var catalog = new LocalCatalog(catalogDir, databaseName);
        return Task.Run(() => Crawl(layout, catalog, targets, clock ?? TimeProvider.System, writtenFiles, cancellationToken), cancellationToken);
    }

    private static CrawlResult Crawl(
        LakeLayout layout, LocalCatalog catalog, IReadOnlyList<CrawlerTarget> targets, TimeProvider clock,
        IReadOnlyDictionary<string, FileSchema>? writtenFiles, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var summary = new CrawlSummary();
        using var parquet = new ParquetSchemaReader();
        // Files a job just wrote come with their schema and row count (as a Glue job updates the catalog from what it
        // wrote): their footers are not read again. Every other file in the folder is read as a crawler reads it.
        foreach (var (file, schema) in writtenFiles ?? new Dictionary<string, FileSchema>())
        {
            parquet.Know(file, schema);
        }

        foreach (var target in targets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                CrawlTarget(layout, catalog, target, parquet, clock.GetUtcNow(), summary);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or DuckDB.NET.Data.DuckDBException)
            {
                summary.Errors.Add($"{target.Prefix} -> {target.TableName}: {e.Message}");
            }
        }

        return new CrawlResult(
            summary.Created, summary.Updated, summary.PartitionsAdded, summary.PartitionsRemoved, summary.Changes, summary.Errors, stopwatch.Elapsed);
    }

    private static void CrawlTarget(LakeLayout layout, LocalCatalog catalog, CrawlerTarget target, ParquetSchemaReader parquet, DateTimeOffset now, CrawlSummary summary)
    {
        var dataset = DatasetScanner.Scan(layout.Under(target.Prefix));
        var existing = ReadableTable(catalog, target.TableName);
        if (dataset is null)
        {
            if (existing is not null)
            {
                RemoveAllPartitions(catalog, existing, now, summary);
            }

            return;
        }

        if (dataset.Classification == "parquet")
        {
            parquet.Prefetch(dataset.Partitions.SelectMany(p => p.Files).ToArray());
        }

        var partitions = dataset.Partitions.Select(p => Inspect(p, dataset, parquet)).ToArray();
        var headers = partitions.Select(p => p.HasHeader).Distinct().ToArray();
        if (headers.Length > 1)
        {
            throw new InvalidDataException("Some CSV files have a header row and others do not; one table cannot describe both.");
        }

        var crawled = SchemaMerger.Union(partitions.Select(p => p.Columns));
        var columns = crawled;
        var version = 1;
        var createTime = now;
        if (existing is not null)
        {
            createTime = existing.CreateTime;
            version = int.Parse(existing.VersionId, CultureInfo.InvariantCulture);
            var compatible = CheckCompatible(existing, dataset, summary);
            var merge = SchemaMerger.FitToTable(target.TableName, existing.StorageDescriptor.Columns, crawled);
            summary.Changes.AddRange(merge.Changes);
            columns = compatible ? merge.Columns : existing.StorageDescriptor.Columns;
            if (compatible && merge.NewVersion)
            {
                version++;
            }
        }

        var location = layout.Under(target.Prefix) + Path.DirectorySeparatorChar;
        var classification = existing?.Classification is { Length: > 0 } known ? known : dataset.Classification;
        var hasHeader = headers.SingleOrDefault();
        var table = new GlueTable(
            target.TableName,
            catalog.DatabaseName,
            StorageFormats.Descriptor(classification, columns, location, hasHeader),
            existing?.PartitionKeys ?? dataset.PartitionKeys.Select(k => new GlueColumn(k, GlueTypes.String)).ToArray(),
            "EXTERNAL_TABLE",
            TableParameters(classification, hasHeader, partitions),
            version.ToString(CultureInfo.InvariantCulture),
            createTime,
            now);

        var previousPartitions = existing is null ? [] : catalog.GetPartitions(target.TableName);
        var previousByValues = previousPartitions.ToDictionary(p => string.Join('\u0001', p.Values), StringComparer.Ordinal);
        var newPartitions = partitions.Select(p => new GluePartition(
                p.Files.Values,
                catalog.DatabaseName,
                target.TableName,
                // Partitions inherit the table schema (Glue's "update all partitions from the table").
                StorageFormats.Descriptor(classification, columns, p.Files.Location, hasHeader),
                CountParameters(classification, p.RecordCount, p.Files.Files.Count, p.SizeBytes),
                previousByValues.TryGetValue(string.Join('\u0001', p.Files.Values), out var old) ? old.CreationTime : now))
            .ToArray();

        var added = newPartitions.Count(p => !previousByValues.ContainsKey(string.Join('\u0001', p.Values)));
        var newKeys = newPartitions.Select(p => string.Join('\u0001', p.Values)).ToHashSet(StringComparer.Ordinal);
        var removed = previousPartitions.Count(p => !newKeys.Contains(string.Join('\u0001', p.Values)));

        var versions = existing is null ? [] : catalog.GetTableVersions(target.TableName).ToList();
        var schemaChanged = existing is null || table.VersionId != existing.VersionId;
        if (schemaChanged)
        {
            versions.Add(new GlueTableVersion(table, table.VersionId));
        }
        else if (versions.Count > 0)
        {
            versions[^1] = new GlueTableVersion(table, table.VersionId);
        }

        catalog.Save(table, newPartitions, versions);
        summary.PartitionsAdded += added;
        summary.PartitionsRemoved += removed;
        if (existing is null)
        {
            summary.Created.Add(target.TableName);
        }
        else if (schemaChanged || added > 0 || removed > 0)
        {
            summary.Updated.Add(target.TableName);
        }
    }

    /// <summary>A table cannot change format or partition keys in place: that needs a new table.</summary>
    private static bool CheckCompatible(GlueTable existing, DatasetFiles dataset, CrawlSummary summary)
    {
        var compatible = true;
        if (!string.Equals(existing.Classification, dataset.Classification, StringComparison.Ordinal))
        {
            summary.Changes.Add(new SchemaChange(existing.Name, SchemaChangeKind.Incompatible,
                $"classification changed from {existing.Classification} to {dataset.Classification}; table kept"));
            compatible = false;
        }

        if (!existing.PartitionKeys.Select(k => k.Name).SequenceEqual(dataset.PartitionKeys, StringComparer.Ordinal))
        {
            summary.Changes.Add(new SchemaChange(existing.Name, SchemaChangeKind.Incompatible,
                $"partition keys changed from ({string.Join(", ", existing.PartitionKeys.Select(k => k.Name))}) to ({string.Join(", ", dataset.PartitionKeys)}); table kept"));
            compatible = false;
        }

        return compatible;
    }

    /// <summary>The table's catalog entry; a damaged one is set aside and crawled anew (the lake still holds the data).</summary>
    private static GlueTable? ReadableTable(LocalCatalog catalog, string tableName)
    {
        try
        {
            var table = catalog.TryGetTable(tableName);
            if (table is not null)
            {
                catalog.GetPartitions(tableName);
                catalog.GetTableVersions(tableName);
            }

            return table;
        }
        catch (CatalogCorruptException)
        {
            catalog.SetAsideTable(tableName);
            return null;
        }
    }

    private static void RemoveAllPartitions(LocalCatalog catalog, GlueTable existing, DateTimeOffset now, CrawlSummary summary)
    {
        var previous = catalog.GetPartitions(existing.Name);
        if (previous.Count == 0)
        {
            return;
        }

        catalog.Save(existing with { UpdateTime = now }, [], catalog.GetTableVersions(existing.Name));
        summary.PartitionsRemoved += previous.Count;
        summary.Updated.Add(existing.Name);
    }

    private static InspectedPartition Inspect(PartitionFiles partition, DatasetFiles dataset, ParquetSchemaReader parquet)
    {
        var schemas = partition.Files
            .Select(f => dataset.Classification == "parquet" ? parquet.Read(f) : CsvSchema(f))
            .ToArray();
        var headers = schemas.Where(s => s.Columns.Count > 0).Select(s => s.HasHeader).Distinct().ToArray();
        if (headers.Length > 1)
        {
            throw new InvalidDataException($"Files in '{partition.Location}' disagree on having a header row.");
        }

        // A partition key is not a data column (Glue drops the duplicate).
        var keys = dataset.PartitionKeys.Select(CsvSchemaInference.NormalizeName).ToHashSet(StringComparer.Ordinal);
        var columns = SchemaMerger.Union(schemas.Select(s => s.Columns)).Where(c => !keys.Contains(c.Name)).ToArray();
        return new InspectedPartition(
            partition,
            columns,
            headers.SingleOrDefault(dataset.Classification == "csv"),
            schemas.Sum(s => s.RecordCount),
            partition.Files.Sum(f => new FileInfo(f).Length));
    }

    private static FileSchema CsvSchema(string file)
    {
        using var reader = new StreamReader(file);
        return CsvSchemaInference.Infer(CsvReader.ReadRecords(reader, source: file).Select(r => r.Fields.ToArray()));
    }

    private static Dictionary<string, string> TableParameters(string classification, bool header, IReadOnlyList<InspectedPartition> partitions)
    {
        var records = partitions.Sum(p => p.RecordCount);
        var objects = partitions.Sum(p => p.Files.Files.Count);
        var parameters = CountParameters(classification, records, objects, partitions.Sum(p => p.SizeBytes));
        parameters["typeOfData"] = "file";
        parameters["compressionType"] = "none";
        parameters["UPDATED_BY_CRAWLER"] = "stockflow-local";
        if (classification == "csv")
        {
            parameters["delimiter"] = ",";
            parameters["areColumnsQuoted"] = "false";
            if (header)
            {
                parameters["skip.header.line.count"] = "1";
            }
        }

        return parameters;
    }

    private static Dictionary<string, string> CountParameters(string classification, long records, int objects, long bytes) => new()
    {
        ["classification"] = classification,
        ["recordCount"] = records.ToString(CultureInfo.InvariantCulture),
        ["objectCount"] = objects.ToString(CultureInfo.InvariantCulture),
        ["sizeKey"] = bytes.ToString(CultureInfo.InvariantCulture),
        ["averageRecordSize"] = (records == 0 ? 0 : bytes / records).ToString(CultureInfo.InvariantCulture),
    };

    private sealed record InspectedPartition(PartitionFiles Files, IReadOnlyList<GlueColumn> Columns, bool HasHeader, long RecordCount, long SizeBytes);

    private sealed class CrawlSummary
    {
        public List<string> Created { get; } = [];

        public List<string> Updated { get; } = [];

        public List<SchemaChange> Changes { get; } = [];

        public List<string> Errors { get; } = [];

        public int PartitionsAdded { get; set; }

        public int PartitionsRemoved { get; set; }
    }
}
