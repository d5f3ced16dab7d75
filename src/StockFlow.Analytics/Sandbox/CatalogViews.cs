using StockFlow.Analytics.Catalog;
using StockFlow.Analytics.DuckDb;

namespace StockFlow.Analytics.Sandbox;

/// <summary>Creates one DuckDB view per catalog table, reading its files like Athena would (unparseable values read as NULL).</summary>
internal static class CatalogViews
{
    public static IReadOnlyList<string> Create(DuckDbEngine engine, LocalCatalog catalog, LakeLayout layout)
    {
        var created = new List<string>();
        var tables = catalog.GetTables();
        foreach (var table in tables)
        {
            if (CreateView(engine, table))
            {
                created.Add(table.Name);
            }
        }

        // daily_metrics is written after the pipeline's crawl: serve it from the lake until a crawl catalogs it.
        if (!created.Contains(CrawlerTarget.DailyMetrics.TableName, StringComparer.Ordinal)
            && tables.All(t => t.Name != CrawlerTarget.DailyMetrics.TableName)
            && layout.DailyMetricsFiles().Count > 0)
        {
            engine.Execute(DailyMetricsRelation.CreateViewSql(layout.DailyMetricsFiles()));
            created.Add(CrawlerTarget.DailyMetrics.TableName);
        }

        return created;
    }

    private static bool CreateView(DuckDbEngine engine, GlueTable table)
    {
        var location = table.StorageDescriptor.Location;
        var extension = table.Classification == "parquet" ? "*.parquet" : "*.csv";
        if (!Directory.Exists(location) || !Directory.EnumerateFiles(location, extension, SearchOption.AllDirectories).Any())
        {
            return false;
        }

        var glob = Path.Combine(location, "**", extension);
        var hiveTypes = "{" + string.Join(", ", table.PartitionKeys.Select(k => SqlText.Literal(k.Name) + ": 'VARCHAR'")) + "}";
        var hive = table.PartitionKeys.Count == 0 ? "hive_partitioning = false" : $"hive_partitioning = true, hive_types = {hiveTypes}";
        string source;
        Func<string, string?> sourceColumn;
        if (table.Classification == "parquet")
        {
            source = $"read_parquet({SqlText.Literal(glob)}, union_by_name = true, {hive})";
            sourceColumn = name => name;
        }
        else
        {
            var header = table.Parameters.TryGetValue("skip.header.line.count", out var skip) && skip == "1";
            source = $"read_csv({SqlText.Literal(glob)}, header = {(header ? "true" : "false")}, all_varchar = true, union_by_name = true, delim = ',', quote = '\"', escape = '\"', null_padding = true, {hive})";
            var names = engine.Rows($"DESCRIBE SELECT * FROM {source}").Select(r => (string)r[0]!).ToArray();
            // Catalog names are normalised header names (or col0, col1... without a header).
            var byCatalogName = names
                .GroupBy(n => header ? CsvSchemaInference.NormalizeName(n) : n.Replace("column", "col", StringComparison.Ordinal), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            sourceColumn = name => byCatalogName.GetValueOrDefault(name);
        }

        var columns = table.StorageDescriptor.Columns
            .Select(c => (c.Name, Sql: Project(c, sourceColumn(c.Name), table.Classification == "parquet")))
            .Concat(table.PartitionKeys.Select(k => (k.Name, Sql: SqlText.Identifier(k.Name))));
        var ordered = ContractOrder(table.Name, columns.ToArray()).Select(c => c.Sql);
        engine.Execute($"CREATE OR REPLACE VIEW {SqlText.Identifier(table.Name)} AS SELECT {string.Join(", ", ordered)} FROM {source}");
        return true;
    }

    /// <summary>
    /// Glue keeps partition keys apart from the columns, so SELECT * would put symbol last; a table with a column
    /// contract (daily_metrics, §3) is shown in that order, columns outside the contract after it.
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

    private static string Project(GlueColumn column, string? source, bool typedSource)
    {
        var type = GlueTypes.ToDuckDb(column.Type);
        var target = SqlText.Identifier(column.Name);
        if (source is null)
        {
            return $"CAST(NULL AS {type}) AS {target}";
        }

        return typedSource
            ? $"{SqlText.Identifier(source)} AS {target}"
            : $"TRY_CAST(nullif(trim({SqlText.Identifier(source)}), '') AS {type}) AS {target}";
    }
}
