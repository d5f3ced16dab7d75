using System.Text;
using StockFlow.Analytics.DuckDb;
using StockFlow.Analytics.Results;
using StockFlow.Analytics.Sql;

namespace StockFlow.Analytics.Queries;

/// <summary>
/// The local stand-in for Athena's startQueryExecution: runs a named shared query over daily_metrics with
/// ExecutionParameters bound (never concatenated) and writes the result as CSV where the caller asks.
/// </summary>
public static class AnalysisQueryRunner
{
    public static Task<QueryResultInfo> RunAsync(
        string lakeRoot,
        string queryName,
        IReadOnlyList<string> parameters,
        string outputCsvPath,
        DuckDbOptions? options = null,
        CancellationToken cancellationToken = default)
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
        var layout = new LakeLayout(lakeRoot);
        return Task.Run(() => Run(layout, sql, values, outputCsvPath, options, cancellationToken), cancellationToken);
    }

    private static QueryResultInfo Run(
        LakeLayout layout, string sql, IReadOnlyList<string> values, string outputCsvPath, DuckDbOptions? options, CancellationToken cancellationToken)
    {
        using var engine = DuckDbEngine.Open(options);
        DailyMetricsRelation.Create(engine, layout);
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
        var tempPath = outputCsvPath + ".tmp";
        long rowCount = 0;
        using (var writer = new StreamWriter(tempPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            CsvResultWriter.Write(writer, columns, ReadRows(reader, () => rowCount++, cancellationToken));
        }

        File.Move(tempPath, outputCsvPath, overwrite: true);
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
