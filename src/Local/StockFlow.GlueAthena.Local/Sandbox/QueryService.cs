using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using StockFlow.GlueAthena.Local.Catalog;
using StockFlow.GlueAthena.Local.DuckDb;
using StockFlow.GlueAthena.Local.Results;

namespace StockFlow.GlueAthena.Local.Sandbox;

/// <summary>
/// Read-only SQL over the catalog tables for <c>stockflow query</c>: one SELECT per call, in a DuckDB session
/// that can read only the lake (allowed_directories, external access off, configuration locked), within a time
/// and a memory limit. Only the tables the query names get a view, so a query opens only the files it reads.
/// </summary>
public sealed partial class QueryService
{
    private readonly LakeLayout layout;
    private readonly LocalCatalog catalog;
    private readonly DuckDbOptions options;
    private readonly QueryLimits limits;

    /// <param name="lakeRoot">The lake folder: the only place a query may read.</param>
    /// <param name="catalogDir">The catalog whose tables the query may name.</param>
    /// <param name="databaseName">The catalog database.</param>
    /// <param name="options">Threads and spill folder; its memory limit is replaced by <paramref name="limits"/>' one.</param>
    /// <param name="limits">Time and memory per query; null = <see cref="QueryLimits"/>' defaults.</param>
    /// <exception cref="ArgumentException">A limit is out of range, or the database name is invalid.</exception>
    public QueryService(string lakeRoot, string catalogDir, string databaseName = LocalCatalog.DefaultDatabase, DuckDbOptions? options = null, QueryLimits? limits = null)
    {
        layout = new LakeLayout(lakeRoot);
        catalog = new LocalCatalog(catalogDir, databaseName);
        this.limits = limits ?? new QueryLimits();
        this.limits.Validate();
        this.options = (options ?? new DuckDbOptions()) with { MemoryLimit = this.limits.MemoryLimit };
    }

    /// <summary>Runs the query and keeps every row.</summary>
    /// <exception cref="QueryRejectedException">Not a single read-only statement, or it reaches outside the lake.</exception>
    /// <exception cref="QuerySqlException">Invalid SQL, with the position when DuckDB reports one.</exception>
    /// <exception cref="QueryLimitException">The query ran past the time limit or needed more than the memory limit.</exception>
    public async Task<ResultSet> ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        var sink = new CollectingSink();
        await StreamAsync(sql, sink, cancellationToken).ConfigureAwait(false);
        return new ResultSet(sink.Columns, sink.Rows);
    }

    /// <summary>Runs the query and hands each row to <paramref name="sink"/> as it is read; returns the rows handed over and the tables it could read.</summary>
    /// <exception cref="QueryRejectedException">Not a single read-only statement, or it reaches outside the lake.</exception>
    /// <exception cref="QuerySqlException">Invalid SQL, with the position when DuckDB reports one.</exception>
    /// <exception cref="QueryLimitException">The query ran past the time limit or needed more than the memory limit.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (DuckDB is interrupted).</exception>
    public Task<QueryOutcome> StreamAsync(string sql, IQueryResultSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        ArgumentNullException.ThrowIfNull(sink);
        return Task.Run(() => Stream(sql, sink, cancellationToken), cancellationToken);
    }

    /// <summary>The tables a query can use (catalog tables with data, plus daily_metrics from the lake).</summary>
    public IReadOnlyList<string> TableNames()
    {
        using var engine = DuckDbEngine.Open(options);
        return CatalogViews.Create(engine, catalog, layout);
    }

    private QueryOutcome Stream(string sql, IQueryResultSink sink, CancellationToken cancellationToken)
    {
        var tracked = new TrackingSink(sink);
        try
        {
            return StreamOnce(sql, tracked, cancellationToken);
        }
        catch (QueryTableChangedException) when (!tracked.Begun)
        {
            // A transform committed between listing the table's files and reading them: the new table is complete, read it.
            return StreamOnce(sql, tracked, cancellationToken);
        }
    }

    private QueryOutcome StreamOnce(string sql, IQueryResultSink sink, CancellationToken cancellationToken)
    {
        using var engine = DuckDbEngine.Open(options);
        engine.Execute("SET autoload_known_extensions = false");
        // json_serialize_sql takes only a constant; the text is quoted ('' escaping is complete in DuckDB) and only parsed.
        using (var gate = engine.CreateCommand($"SELECT json_serialize_sql({SqlText.Literal(sql)})", []))
        {
            SqlGate.RequireSingleSelect((string)gate.ExecuteScalar()!, sql);
        }

        var stamp = ManifestStamp();
        // A view only for the tables the text names (a superset of what it reads): SELECT 1 opens no table at all.
        IReadOnlyList<string> tables;
        try
        {
            tables = CatalogViews.Create(engine, catalog, layout, name => Mentions(sql, name));
        }
        catch (DuckDBException e) when (CuratedFileUnreadable(e))
        {
            // Binding the view reads the first file's schema.
            throw Unreadable(e, stamp);
        }

        engine.Execute($"SET allowed_directories = [{SqlText.Literal(layout.Root + Path.DirectorySeparatorChar)}]");
        engine.Execute("SET enable_external_access = false");
        engine.Execute("SET lock_configuration = true");

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limits.Timeout);
        using var command = engine.CreateCommand(sql, []);
        // duckdb_interrupt: a long scan or aggregate stops at once, not at the next row.
        using var interrupt = deadline.Token.Register(command.Cancel);
        var rows = 0L;
        try
        {
            var projection = Projection(engine, sql);
            if (projection is not null)
            {
                command.CommandText = projection.Value.Sql;
            }

            using var reader = command.ExecuteReader();
            var columns = Enumerable.Range(0, reader.FieldCount)
                .Select(i => new ResultColumn(reader.GetName(i), projection?.Types[i] ?? reader.GetDataTypeName(i)))
                .ToArray();
            sink.Begin(columns);
            while (reader.Read())
            {
                deadline.Token.ThrowIfCancellationRequested();
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows++;
                if (!sink.Row(row))
                {
                    break;
                }
            }

            return new QueryOutcome(rows, tables);
        }
        catch (Exception e) when (e is DuckDBException or OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (deadline.IsCancellationRequested)
            {
                throw new QueryLimitException(
                    $"The query ran longer than its {Seconds(limits.Timeout)} time limit and was stopped. Narrow it (WHERE, LIMIT, fewer symbols) or raise the limit with --timeout.", e);
            }

            if (e is DuckDBException unreadable && CuratedFileUnreadable(unreadable))
            {
                throw Unreadable(unreadable, stamp);
            }

            if (e is DuckDBException duck && duck.Message.StartsWith("Out of Memory", StringComparison.Ordinal))
            {
                throw new QueryLimitException(
                    $"The query needed more than its {limits.MemoryLimit} memory limit and was stopped. Narrow it (WHERE, LIMIT, fewer columns) or raise the limit with --memory-limit.", e);
            }

            throw e is DuckDBException d ? Translate(d, sql, ProjectionLines) : e;
        }
    }

    /// <summary>DuckDB could not read a curated file: gone (a transform committed and deleted it) or not Parquet.</summary>
    private bool CuratedFileUnreadable(DuckDBException e) =>
        e.Message.Contains(layout.DailyMetrics, StringComparison.Ordinal)
        && (e.Message.StartsWith("IO Error", StringComparison.Ordinal) || e.Message.StartsWith("Invalid Input Error", StringComparison.Ordinal)
            || e.Message.Contains("No files found", StringComparison.OrdinalIgnoreCase));

    private Exception Unreadable(DuckDBException e, (long, long) stamp) => ManifestStamp() != stamp
        ? new QueryTableChangedException(
            "daily_metrics changed while the query read it (a transform replaced its files). Run the query again: it reads the new table.", e)
        : new CuratedTableDamagedException(
            $"A file of daily_metrics is missing or damaged ({FirstLine(e.Message)}). The next `stockflow run` rebuilds the symbols it belongs to from their raw files.", e);

    /// <summary>When and how the transform manifest (the curated table's commit point) was last written.</summary>
    private (long Ticks, long Length) ManifestStamp()
    {
        var info = new FileInfo(layout.Under(Transform.TransformManifest.Key));
        return info.Exists ? (info.LastWriteTimeUtc.Ticks, info.Length) : (0, 0);
    }


    /// <summary>Remembers whether the sink has been given the columns (then a retry would hand them out twice).</summary>
    private sealed class TrackingSink(IQueryResultSink inner) : IQueryResultSink
    {
        public bool Begun { get; private set; }

        public void Begin(IReadOnlyList<ResultColumn> columns)
        {
            Begun = true;
            inner.Begin(columns);
        }

        public bool Row(object?[] values) => inner.Row(values);
    }

    /// <summary>Lines the projection wrapper puts before the user's SQL (for error positions).</summary>
    private const int ProjectionLines = 1;

    /// <summary>
    /// The query wrapped so every value arrives as a plain CLR value: types the driver has no faithful value for
    /// (DECIMAL, LIST, STRUCT, MAP, BLOB, INTERVAL, UUID, TIMESTAMP...) are cast to DuckDB's own text form.
    /// Null when the text cannot be wrapped (it then runs as it is).
    /// </summary>
    private static (string Sql, string[] Types)? Projection(DuckDbEngine engine, string sql)
    {
        var body = WithoutTrailingSemicolons(sql);
        var wrapped = "(\n" + body + "\n) AS q";
        List<object?[]> shape;
        try
        {
            shape = engine.Rows("DESCRIBE SELECT * FROM " + wrapped);
        }
        catch (DuckDBException e) when (e.Message.StartsWith("Parser Error", StringComparison.Ordinal))
        {
            return null;
        }

        var names = shape.Select(r => (string)r[0]!).ToArray();
        var types = shape.Select(r => (string)r[1]!).ToArray();
        var select = names.Select((name, i) =>
        {
            var position = "#" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var value = NativeTypes.Contains(types[i]) ? position : $"CAST({position} AS VARCHAR)";
            return $"{value} AS {SqlText.Identifier(name)}";
        });
        return ("SELECT " + string.Join(", ", select) + " FROM " + wrapped, types);
    }

    /// <summary>Types the driver returns as faithful CLR values (the rest are read as DuckDB's text).</summary>
    private static readonly HashSet<string> NativeTypes = new(StringComparer.Ordinal)
    {
        "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
        "FLOAT", "DOUBLE", "VARCHAR", "DATE",
    };

    /// <summary>
    /// Whether the text names the table as a whole word (case-insensitive). A plain scan, not a Regex: building a
    /// regex per table was a visible part of a short query's start-up (its parser and interpreter are JIT-compiled first).
    /// </summary>
    private static bool Mentions(string sql, string tableName)
    {
        for (var at = sql.IndexOf(tableName, StringComparison.OrdinalIgnoreCase); at >= 0; at = sql.IndexOf(tableName, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = at + tableName.Length;
            if ((at == 0 || !IsWordChar(sql[at - 1])) && (end == sql.Length || !IsWordChar(sql[end])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static string Seconds(TimeSpan time) =>
        time.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s";

    // Trailing whitespace and semicolons end the text; wrapped in a subquery they would be a syntax error.
    private static string WithoutTrailingSemicolons(string sql)
    {
        var end = sql.Length;
        while (end > 0 && (char.IsWhiteSpace(sql[end - 1]) || sql[end - 1] == ';'))
        {
            end--;
        }

        return sql[..end];
    }

    private sealed class CollectingSink : IQueryResultSink
    {
        public IReadOnlyList<ResultColumn> Columns { get; private set; } = [];

        public List<object?[]> Rows { get; } = [];

        public void Begin(IReadOnlyList<ResultColumn> columns) => Columns = columns;

        public bool Row(object?[] values)
        {
            Rows.Add(values);
            return true;
        }
    }

    private static Exception Translate(DuckDBException e, string sql, int linesBefore)
    {
        var message = e.Message;
        if (message.StartsWith("Permission Error", StringComparison.Ordinal))
        {
            return new QueryRejectedException($"Refused: the query sandbox reads only the lake and the catalog tables. ({FirstLine(message)})", e);
        }

        // DuckDB marks the failing spot as "LINE n: <text>" and a caret under it.
        var match = LineAndCaret().Match(message);
        if (match.Success)
        {
            var line = int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) - linesBefore;
            var prefix = match.Groups["prefix"].Value.Length;
            var caret = match.Groups["caret"].Value.Length - 1 - prefix;
            var shown = match.Groups["text"].Value.TrimEnd('.');
            var lines = sql.Split('\n');
            if (line >= 1 && line <= lines.Length && caret >= 0)
            {
                // The shown text may be a window of a long line: anchor it in the real line.
                var start = lines[line - 1].IndexOf(shown.Length > 0 && !shown.StartsWith("...", StringComparison.Ordinal) ? shown : shown.TrimStart('.'), StringComparison.Ordinal);
                var column = (start < 0 ? 0 : start) + caret - (shown.StartsWith("...", StringComparison.Ordinal) ? 3 : 0);
                var offset = lines.Take(line - 1).Sum(l => l.Length + 1) + column;
                return new QuerySqlException($"{FirstLine(message)} (line {line}, column {column + 1})", offset, line, column + 1, e);
            }
        }

        return new QuerySqlException(FirstLine(message), e);
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).Trim();
    }

    [GeneratedRegex(@"(?<prefix>LINE (?<line>\d+): )(?<text>[^\n]*)\n(?<caret> *\^)", RegexOptions.CultureInvariant)]
    private static partial Regex LineAndCaret();
}
