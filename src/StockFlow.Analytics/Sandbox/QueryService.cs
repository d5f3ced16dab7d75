using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using StockFlow.Analytics.Catalog;
using StockFlow.Analytics.DuckDb;
using StockFlow.Analytics.Results;

namespace StockFlow.Analytics.Sandbox;

/// <summary>
/// Read-only SQL over the catalog tables for <c>stockflow query</c>: one SELECT per call, in a DuckDB session
/// that can read only the lake (allowed_directories, external access off, configuration locked).
/// </summary>
public sealed partial class QueryService
{
    private readonly LakeLayout layout;
    private readonly LocalCatalog catalog;
    private readonly DuckDbOptions options;

    public QueryService(string lakeRoot, string catalogDir, string databaseName = LocalCatalog.DefaultDatabase, DuckDbOptions? options = null)
    {
        layout = new LakeLayout(lakeRoot);
        catalog = new LocalCatalog(catalogDir, databaseName);
        this.options = options ?? new DuckDbOptions();
    }

    /// <exception cref="QueryRejectedException">Not a single read-only statement, or it reaches outside the lake.</exception>
    /// <exception cref="QuerySqlException">Invalid SQL, with the position when DuckDB reports one.</exception>
    public Task<ResultSet> ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        return Task.Run(() => Execute(sql, cancellationToken), cancellationToken);
    }

    /// <summary>The tables a query can use (catalog tables with data, plus daily_metrics from the lake).</summary>
    public IReadOnlyList<string> TableNames()
    {
        using var engine = OpenSandbox(out var tables);
        return tables;
    }

    private ResultSet Execute(string sql, CancellationToken cancellationToken)
    {
        using var engine = OpenSandbox(out _);
        // json_serialize_sql takes only a constant; the text is quoted ('' escaping is complete in DuckDB) and only parsed.
        using (var gate = engine.CreateCommand($"SELECT json_serialize_sql({SqlText.Literal(sql)})", []))
        {
            SqlGate.RequireSingleSelect((string)gate.ExecuteScalar()!, sql);
        }

        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var command = engine.CreateCommand(sql, []);
            using var reader = command.ExecuteReader();
            var columns = Enumerable.Range(0, reader.FieldCount)
                .Select(i => new ResultColumn(reader.GetName(i), reader.GetDataTypeName(i)))
                .ToArray();
            var rows = new List<object?[]>();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }

            return new ResultSet(columns, rows);
        }
        catch (DuckDBException e)
        {
            throw Translate(e, sql);
        }
    }

    private DuckDbEngine OpenSandbox(out IReadOnlyList<string> tables)
    {
        var engine = DuckDbEngine.Open(options);
        try
        {
            engine.Execute("SET autoload_known_extensions = false");
            tables = CatalogViews.Create(engine, catalog, layout);
            // Load the parser's JSON serializer now: nothing can be loaded once external access is off.
            engine.Execute("SELECT json_serialize_sql('SELECT 1')");
            engine.Execute($"SET allowed_directories = [{SqlText.Literal(layout.Root + Path.DirectorySeparatorChar)}]");
            engine.Execute("SET enable_external_access = false");
            engine.Execute("SET lock_configuration = true");
            return engine;
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    private static Exception Translate(DuckDBException e, string sql)
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
            var line = int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
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
