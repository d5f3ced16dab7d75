using System.Text;
using StockFlow.GlueAthena.Local.DuckDb;
using StockFlow.GlueAthena.Local.Results;
using StockFlow.GlueAthena.Local.Sql;

namespace StockFlow.GlueAthena.Local.Queries;

/// <summary>
/// The local stand-in for Athena's startQueryExecution: runs a named shared query over daily_metrics with
/// ExecutionParameters bound (never concatenated) and writes the result as CSV where the caller asks.
/// </summary>
/// <remarks>
/// One runner serves many queries (the pipeline's Analyze map runs four): they share one in-memory DuckDB with its
/// Parquet metadata cache, so a curated table of 10,000 partition files has its footers read once, not per query
/// (measured ~3x less time for the four queries over 10,000 files). A table of at most
/// <see cref="MaterializeBelowRows"/> rows is read into that database once, whole, instead: DuckDB pays for every file
/// and column chunk it opens (about 0.4 ms per file), and four queries over 10,000 one-month partitions each opened
/// them all again (7-9 s for the four; one read is about a third of that). The database is opened anew whenever the
/// curated files change (name, size or modification time), so no query ever reads a stale table.
/// </remarks>
/// <param name="lakeRoot">The local lake (bucket) folder.</param>
/// <param name="options">DuckDB limits; null leaves them to DuckDB.</param>
/// <param name="materializeBelowRows">Read the table into memory once when the transform manifest counts at most this
/// many rows (default <see cref="MaterializeBelowRows"/>, about 250 MB in memory); larger tables are read per query.</param>
public sealed class AnalysisQueryRunner(string lakeRoot, DuckDbOptions? options = null, long materializeBelowRows = AnalysisQueryRunner.MaterializeBelowRows) : IDisposable
{
    /// <summary>The default largest table (in rows) read into memory once for all queries: 2,000,000.</summary>
    public const long MaterializeBelowRows = 2_000_000;

    private readonly LakeLayout layout = new(lakeRoot);
    private readonly Lock gate = new();
    private DuckDbEngine? database;
    private string? snapshot;

    /// <summary>Runs one query with a runner of its own.</summary>
    public static async Task<QueryResultInfo> RunAsync(
        string lakeRoot,
        string queryName,
        IReadOnlyList<string> parameters,
        string outputCsvPath,
        DuckDbOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        using var runner = new AnalysisQueryRunner(lakeRoot, options);
        return await runner.RunAsync(queryName, parameters, outputCsvPath, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="queryName"/>; safe to call from several threads at once.</summary>
    public Task<QueryResultInfo> RunAsync(string queryName, IReadOnlyList<string> parameters, string outputCsvPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputCsvPath);
        if (!SqlLibrary.QueryNames.Contains(queryName, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"Unknown analysis query '{queryName}'. Known: {string.Join(", ", SqlLibrary.QueryNames)}.", nameof(queryName));
        }

        var sql = SqlText.WithoutTrailingSemicolon(SqlLibrary.GetQuery(queryName));
        var values = ExecutionParameters.ParseStringLiterals(parameters);
        var expected = SqlPlaceholders.Count(sql);
        if (values.Count != expected)
        {
            throw new ArgumentException(
                $"Query '{queryName}' takes {expected} execution parameter(s); {values.Count} given.", nameof(parameters));
        }

        RequireIsoDates(values);
        return Task.Run(() => Run(sql, values, outputCsvPath, cancellationToken), cancellationToken);
    }

    /// <summary>Closes the shared database; a query already running keeps its own session open until it ends.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            database?.Dispose();
            database = null;
            snapshot = null;
        }
    }

    /// <summary>A session on the database whose daily_metrics view lists the curated files as they are now.</summary>
    private DuckDbEngine Session()
    {
        lock (gate)
        {
            var (files, rows) = DailyMetricsRelation.RequireTable(layout);
            var current = Snapshot(files);
            if (database is null || !string.Equals(snapshot, current, StringComparison.Ordinal))
            {
                // Sessions already handed out keep the old database alive until they close.
                database?.Dispose();
                database = null;
                var opened = DuckDbEngine.Open(options);
                try
                {
                    opened.Execute("SET enable_object_cache = true");
                    if (rows <= materializeBelowRows)
                    {
                        // Row order carries no meaning (every shared query orders its result), so the read may run in parallel.
                        opened.Execute("SET preserve_insertion_order = false");
                        opened.Execute(DailyMetricsRelation.CreateTableSql(files));
                        opened.Execute("SET preserve_insertion_order = true");
                    }
                    else
                    {
                        opened.Execute(DailyMetricsRelation.CreateViewSql(files));
                    }
                }
                catch
                {
                    opened.Dispose();
                    throw;
                }

                database = opened;
                snapshot = current;
            }

            return database.Duplicate();
        }
    }

    private static string Snapshot(IReadOnlyList<string> files)
    {
        var text = new StringBuilder();
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            text.Append(file).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }

        return text.ToString();
    }

    private QueryResultInfo Run(string sql, IReadOnlyList<string> values, string outputCsvPath, CancellationToken cancellationToken)
    {
        using var engine = Session();
        cancellationToken.ThrowIfCancellationRequested();

        using var command = engine.CreateCommand(sql, values.Cast<object?>().ToArray());
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();

        var directory = Path.GetDirectoryName(Path.GetFullPath(outputCsvPath));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        // Write to a temp file first so a failed query never leaves a half-written result where Athena's would be.
        var tempPath = outputCsvPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        long rowCount = 0;
        try
        {
            using (var writer = new StreamWriter(tempPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                CsvResultWriter.Write(writer, columns, ReadRows(reader, () => rowCount++, cancellationToken));
            }

            File.Move(tempPath, outputCsvPath, overwrite: true);
        }
        finally
        {
            File.Delete(tempPath);
        }

        return new QueryResultInfo(columns, rowCount);
    }

    /// <summary>
    /// Every shared query takes its period as (start, end) dates. DuckDB's CAST accepts trailing text after a date
    /// where Athena would fail, so the values are checked here to behave the same on both engines.
    /// </summary>
    private static void RequireIsoDates(IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (!DateOnly.TryParseExact(values[i], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
            {
                throw new ArgumentException(
                    $"Execution parameter {i + 1} ('{values[i]}') is not an ISO date (yyyy-MM-dd); the shared queries take their period as dates.");
            }
        }
    }

    private static IEnumerable<object?[]> ReadRows(System.Data.Common.DbDataReader reader, Action onRow, CancellationToken cancellationToken)
    {
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            onRow();
            yield return row;
        }
    }
}
