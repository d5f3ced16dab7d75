using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using StockFlow.GlueAthena.Local.DuckDb;
using StockFlow.GlueAthena.Local.Queries;
using StockFlow.Asl;
using StockFlow.Csv;

namespace StockFlow.Runtime.Local.Bindings;

/// <summary>
/// <c>athena:startQueryExecution.sync</c> and <c>athena:getQueryResults</c>. On AWS the shared
/// analysis SQL files are Athena prepared statements and the definition runs
/// <c>EXECUTE &lt;name&gt;</c> with <c>ExecutionParameters</c>; locally the same statement runs on
/// DuckDB with the parameters bound, and the CSV lands where Athena would put it:
/// <c>&lt;OutputLocation&gt;&lt;QueryExecutionId&gt;.csv</c>. A failed query fails the state with
/// <c>States.TaskFailed</c> and the QueryExecution as the cause, as the .sync integration does.
/// </summary>
public sealed partial class AthenaBinding(DataDirectory directory, string workGroup, DuckDbOptions duckDb, TimeProvider clock) : IResourceBinding, IDisposable
{
    // One runner for all queries, so the Analyze map's queries share DuckDB's Parquet metadata cache.
    private readonly AnalysisQueryRunner _queries = new(directory.BucketRoot, duckDb);

    /// <summary>Runs a query and waits for it (the <c>.sync</c> integration).</summary>
    public const string StartQueryExecutionSync = "arn:aws:states:::athena:startQueryExecution.sync";
    /// <summary>Reads a finished query's result rows.</summary>
    public const string GetQueryResults = "arn:aws:states:::athena:getQueryResults";

    private readonly ConcurrentDictionary<string, string> _outputs = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Resources { get; } = [StartQueryExecutionSync, GetQueryResults];

    [GeneratedRegex(@"^\s*EXECUTE\s+([A-Za-z_][A-Za-z0-9_]*)\s*;?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExecuteStatement();

    /// <inheritdoc/>
    public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        return invocation.Resource == GetQueryResults
            ? Task.FromResult<JsonNode?>(Results(invocation))
            : StartAsync(invocation, cancellationToken);
    }

    private async Task<JsonNode?> StartAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var parameters = invocation.Parameters;
        var queryString = AwsShapes.RequiredString(parameters, "QueryString", invocation.Resource);
        var requestedWorkGroup = parameters?["WorkGroup"]?.GetValue<string>() ?? "primary";
        if (!string.Equals(requestedWorkGroup, workGroup, StringComparison.Ordinal))
        {
            throw new StatesErrorException("Athena.InvalidRequestException", $"WorkGroup {requestedWorkGroup} is not found.");
        }

        var outputLocation = parameters?["ResultConfiguration"]?["OutputLocation"]?.GetValue<string>()
            ?? throw new StatesErrorException("Athena.InvalidRequestException",
                "No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.");
        var executionParameters = parameters?["ExecutionParameters"] is JsonArray array
            ? array.Select(p => p?.GetValue<string>() ?? string.Empty).ToArray()
            : [];

        var id = Guid.NewGuid().ToString();
        var resultUri = outputLocation.TrimEnd('/') + "/" + id + ".csv";
        var submitted = clock.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        var execution = new JsonObject
        {
            ["QueryExecutionId"] = id,
            ["Query"] = queryString,
            ["StatementType"] = "DML",
            ["ResultConfiguration"] = new JsonObject { ["OutputLocation"] = resultUri },
            ["ResultReuseConfiguration"] = new JsonObject { ["ResultReuseByAgeConfiguration"] = new JsonObject { ["Enabled"] = false } },
            ["QueryExecutionContext"] = parameters?["QueryExecutionContext"]?.DeepClone() ?? new JsonObject(),
            ["WorkGroup"] = workGroup,
            ["EngineVersion"] = new JsonObject { ["SelectedEngineVersion"] = "AUTO", ["EffectiveEngineVersion"] = "Athena engine version 3" },
            ["ExecutionParameters"] = new JsonArray(executionParameters.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
        };

        try
        {
            var match = ExecuteStatement().Match(queryString);
            if (!match.Success)
            {
                throw new InvalidOperationException(
                    "Locally, Athena runs the shared prepared statements: the QueryString must be 'EXECUTE <name>' with ExecutionParameters.");
            }

            var path = directory.PathOfS3Uri(resultUri);
            var info = await _queries.RunAsync(match.Groups[1].Value, executionParameters, path, cancellationToken);
            _outputs[id] = path;
            var bytes = new FileInfo(path).Length;
            execution["Status"] = Status("SUCCEEDED", submitted, null);
            execution["Statistics"] = Statistics(stopwatch.Elapsed, bytes);
            return new JsonObject { ["QueryExecution"] = execution };
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not StatesErrorException)
        {
            execution["Status"] = Status("FAILED", submitted, ex.Message);
            execution["Statistics"] = Statistics(stopwatch.Elapsed, 0);
            throw new StatesErrorException(StatesErrors.TaskFailed, new JsonObject { ["QueryExecution"] = execution }.ToJsonString(), ex);
        }
    }

    /// <summary>Closes the DuckDB database the queries share.</summary>
    public void Dispose() => _queries.Dispose();

    private JsonObject Status(string state, DateTimeOffset submitted, string? reason)
    {
        var status = new JsonObject
        {
            ["State"] = state,
            ["SubmissionDateTime"] = AwsShapes.Timestamp(submitted),
            ["CompletionDateTime"] = AwsShapes.Timestamp(clock.GetUtcNow()),
        };
        if (reason is not null)
        {
            status["StateChangeReason"] = reason;
            status["AthenaError"] = new JsonObject { ["ErrorCategory"] = 2, ["ErrorType"] = 1300, ["Retryable"] = false, ["ErrorMessage"] = reason };
        }

        return status;
    }

    private static JsonObject Statistics(TimeSpan elapsed, long bytes) => new()
    {
        ["EngineExecutionTimeInMillis"] = (long)elapsed.TotalMilliseconds,
        ["TotalExecutionTimeInMillis"] = (long)elapsed.TotalMilliseconds,
        ["QueryQueueTimeInMillis"] = 0,
        ["DataScannedInBytes"] = bytes,
    };

    /// <summary>getQueryResults: the result CSV as Athena's ResultSet (header row first, all values as VarCharValue).</summary>
    private JsonObject Results(TaskInvocation invocation)
    {
        var id = AwsShapes.RequiredString(invocation.Parameters, "QueryExecutionId", invocation.Resource);
        if (!_outputs.TryGetValue(id, out var path) || !File.Exists(path))
        {
            throw new StatesErrorException("Athena.InvalidRequestException", $"QUERY_NOT_FOUND: Query {id} was not found");
        }

        using var reader = new StreamReader(path);
        // A query result: empty fields are NULLs (no VarCharValue), as Athena returns them.
        var records = CsvReader.ReadRecords(reader, source: path).ToList();
        var header = records.Count > 0 ? records[0].Fields : [];
        var rows = new JsonArray(records.Select(r => (JsonNode?)new JsonObject
        {
            ["Data"] = new JsonArray(r.Fields.Select(f => (JsonNode?)(f.Length == 0 ? new JsonObject() : new JsonObject { ["VarCharValue"] = f })).ToArray()),
        }).ToArray());
        return new JsonObject
        {
            ["ResultSet"] = new JsonObject
            {
                ["Rows"] = rows,
                ["ResultSetMetadata"] = new JsonObject
                {
                    ["ColumnInfo"] = new JsonArray(header.Select(h => (JsonNode?)new JsonObject
                    {
                        ["CatalogName"] = "hive",
                        ["Name"] = h,
                        ["Label"] = h,
                        ["Type"] = "varchar",
                        ["Nullable"] = "UNKNOWN",
                    }).ToArray()),
                },
            },
            ["UpdateCount"] = 0,
        };
    }
}
