using StockFlow.GlueAthena.Local.Catalog;
using StockFlow.GlueAthena.Local.DuckDb;

namespace StockFlow.GlueAthena.Local.Sandbox;

/// <summary>
/// Creates one DuckDB view per catalog table, reading its files like Athena would: CSV columns by position with the
/// catalog's names and types (OpenCSVSerde), unparseable values as NULL. A view is defined from the catalog alone,
/// so creating it opens no data file; only the tables a query names get a view.
/// </summary>
internal static class CatalogViews
{
    /// <summary>Views for the catalog tables <paramref name="wanted"/> accepts (null: all), plus daily_metrics from the lake until a crawl catalogs it.</summary>
    public static IReadOnlyList<string> Create(DuckDbEngine engine, LocalCatalog catalog, LakeLayout layout, Func<string, bool>? wanted = null)
    {
        wanted ??= _ => true;
        var created = new List<string>();
        var tableNames = catalog.TableNames();
        foreach (var name in tableNames.Where(wanted))
        {
            if (catalog.TryGetTable(name) is { } table && CreateView(engine, table, layout))
            {
                created.Add(table.Name);
            }
        }

        // daily_metrics is written after the pipeline's crawl: serve it from the lake until a crawl catalogs it.
        var dailyMetrics = CrawlerTarget.DailyMetrics.TableName;
        if (wanted(dailyMetrics) && !tableNames.Contains(dailyMetrics, StringComparer.Ordinal))
        {
            var files = layout.DailyMetricsFiles();
            if (files.Count > 0)
            {
                engine.Execute(DailyMetricsRelation.CreateViewSql(files));
                created.Add(dailyMetrics);
            }
        }

        return created;
    }

    private static bool CreateView(DuckDbEngine engine, GlueTable table, LakeLayout layout)
    {
        var location = table.StorageDescriptor.Location;
        var parquet = table.Classification == "parquet";
        var extension = parquet ? "*.parquet" : "*.csv";
        // The curated table is the files its transform manifest lists, never whatever the folder holds: a file a
        // running transform is writing, or one it has replaced, is not part of it.
        var curated = parquet && string.Equals(table.Name, CrawlerTarget.DailyMetrics.TableName, StringComparison.Ordinal)
            ? layout.DailyMetricsFiles()
            : null;
        if (curated is not null ? curated.Count == 0
            : !Directory.Exists(location) || !Directory.EnumerateFiles(location, extension, SearchOption.AllDirectories).Any())
        {
            return false;
        }

        var glob = Path.Combine(location, "**", extension);
        var hiveTypes = "{" + string.Join(", ", table.PartitionKeys.Select(k => SqlText.Literal(k.Name) + ": 'VARCHAR'")) + "}";
        var hive = table.PartitionKeys.Count == 0 ? "hive_partitioning = false" : $"hive_partitioning = true, hive_types = {hiveTypes}";
        string source;
        if (curated is not null)
        {
            source = $"read_parquet({SqlText.LiteralList(curated)}, union_by_name = true, {hive})";
        }
        else if (parquet)
        {
            source = $"read_parquet({SqlText.Literal(glob)}, union_by_name = true, {hive})";
        }
        else
        {
            // Every column as text by position, named from the catalog: nothing to sniff, so binding the view opens no file.
            var header = table.Parameters.TryGetValue("skip.header.line.count", out var skip) && skip == "1";
            var columnTypes = "{" + string.Join(", ", table.StorageDescriptor.Columns.Select(c => SqlText.Literal(c.Name) + ": 'VARCHAR'")) + "}";
            source = $"read_csv({SqlText.Literal(glob)}, auto_detect = false, header = {(header ? "true" : "false")}, columns = {columnTypes}, " +
                $"delim = ',', quote = '\"', escape = '\"', null_padding = true, {hive})";
        }

        var columns = table.StorageDescriptor.Columns
            .Select(c => (c.Name, Sql: Project(c, parquet)))
            .Concat(table.PartitionKeys.Select(k => (k.Name, Sql: SqlText.Identifier(k.Name))));
        var ordered = ContractOrder(table.Name, columns.ToArray()).Select(c => c.Sql);
        engine.Execute($"CREATE OR REPLACE VIEW {SqlText.Identifier(table.Name)} AS SELECT {string.Join(", ", ordered)} FROM {source}");
        return true;
    }

    /// <summary>
    /// Glue keeps partition keys apart from the columns, so SELECT * would put symbol last; a table with a column
    /// contract (daily_metrics; docs/architecture.md, "The metrics") is shown in that order, columns outside the contract after it.
    /// </summary>
    private static IEnumerable<(string Name, string Sql)> ContractOrder(string tableName, IReadOnlyList<(string Name, string Sql)> columns)
    {
        if (!string.Equals(tableName, CrawlerTarget.DailyMetrics.TableName, StringComparison.Ordinal))
        {
            return columns;
        }

        var contract = DailyMetricsRelation.ColumnNames
            .Select((name, i) => (name, i))
            .ToDictionary(c => c.name, c => c.i, StringComparer.Ordinal);
        return columns
            .Select((c, i) => (Column: c, Rank: contract.TryGetValue(c.Name, out var at) ? at : contract.Count + i))
            .OrderBy(c => c.Rank)
            .Select(c => c.Column);
    }

    private static string Project(GlueColumn column, bool typedSource)
    {
        var type = GlueTypes.ToDuckDb(column.Type);
        var name = SqlText.Identifier(column.Name);
        return typedSource
            ? $"{name} AS {name}"
            : $"TRY_CAST(nullif(trim({name}), '') AS {type}) AS {name}";
    }
}
