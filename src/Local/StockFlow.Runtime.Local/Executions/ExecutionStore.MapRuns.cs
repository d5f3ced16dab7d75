using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using StockFlow.Asl;
using StockFlow.Asl.Distributed;

namespace StockFlow.Runtime.Local.Executions;

/// <summary>
/// Distributed Map runs (DescribeMapRun: status, counts, redrives) and their child executions (one row
/// each: name, status, input, output, error, cause, dates; history for unsuccessful children only).
/// The runtime writes them in batches while the run goes on, so another process reads live counts.
/// </summary>
public sealed partial class ExecutionStore : IMapRunStore
{
    private const string MapRunColumns =
        "map_run_arn, execution_arn, state_name, status, start_date, stop_date, max_concurrency, tolerated_failure_percentage, " +
        "tolerated_failure_count, item_counts, execution_counts, redrive_count, redrive_date, error, cause";

    private const string ChildColumns = "idx, name, status, input, output, error, cause, start_date, stop_date, item_count";

    private SqliteCommand? _insertChild;

    /// <inheritdoc />
    public void SaveMapRun(MapRunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"""
                INSERT OR REPLACE INTO map_runs({MapRunColumns})
                VALUES($arn, $execution, $state, $status, $start, $stop, $maxConcurrency, $percentage, $count, $items, $executions, $redrives, $redriveDate, $error, $cause)
                """;
            command.Parameters.AddWithValue("$arn", run.MapRunArn);
            command.Parameters.AddWithValue("$execution", run.ExecutionArn);
            command.Parameters.AddWithValue("$state", run.StateName);
            command.Parameters.AddWithValue("$status", run.Status);
            command.Parameters.AddWithValue("$start", Format(run.StartDate));
            command.Parameters.AddWithValue("$stop", Format(run.StopDate));
            command.Parameters.AddWithValue("$maxConcurrency", run.MaxConcurrency);
            command.Parameters.AddWithValue("$percentage", run.ToleratedFailurePercentage);
            command.Parameters.AddWithValue("$count", run.ToleratedFailureCount);
            command.Parameters.AddWithValue("$items", run.ItemCounts.ToJson().ToJsonString());
            command.Parameters.AddWithValue("$executions", run.ExecutionCounts.ToJson().ToJsonString());
            command.Parameters.AddWithValue("$redrives", run.RedriveCount);
            command.Parameters.AddWithValue("$redriveDate", Format(run.RedriveDate));
            command.Parameters.AddWithValue("$error", (object?)run.Error ?? DBNull.Value);
            command.Parameters.AddWithValue("$cause", (object?)run.Cause ?? DBNull.Value);
            command.ExecuteNonQuery();
        }
    }

    /// <inheritdoc />
    public void SaveChildren(string mapRunArn, IReadOnlyList<ChildExecutionRecord> children)
    {
        ArgumentNullException.ThrowIfNull(children);
        if (children.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            _insertChild ??= PrepareInsertChild();
            _insertChild.Transaction = transaction;
            foreach (var c in children)
            {
                var p = _insertChild.Parameters;
                p["$arn"].Value = mapRunArn;
                p["$idx"].Value = c.Index;
                p["$name"].Value = c.Name;
                p["$status"].Value = c.Status;
                p["$input"].Value = c.Input;
                p["$output"].Value = (object?)c.Output ?? DBNull.Value;
                p["$error"].Value = (object?)c.Error ?? DBNull.Value;
                p["$cause"].Value = (object?)c.Cause ?? DBNull.Value;
                p["$start"].Value = Format(c.StartDate);
                p["$stop"].Value = Format(c.StopDate);
                p["$items"].Value = c.ItemCount;
                p["$history"].Value = (object?)c.HistoryJson ?? DBNull.Value;
                _insertChild.ExecuteNonQuery();
            }

            transaction.Commit();
            _insertChild.Transaction = null;
        }
    }

    /// <inheritdoc />
    public MapRunRecord? FindMapRun(string mapRunArn)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT {MapRunColumns} FROM map_runs WHERE map_run_arn=$arn";
            command.Parameters.AddWithValue("$arn", mapRunArn);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadMapRun(reader) : null;
        }
    }

    /// <summary>The execution's Map Runs, oldest first (ListMapRuns; each as DescribeMapRun describes it).</summary>
    public IReadOnlyList<MapRunRecord> ListMapRuns(string executionArn)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT {MapRunColumns} FROM map_runs WHERE execution_arn=$arn ORDER BY start_date, rowid";
            command.Parameters.AddWithValue("$arn", executionArn);
            using var reader = command.ExecuteReader();
            var runs = new List<MapRunRecord>();
            while (reader.Read())
            {
                runs.Add(ReadMapRun(reader));
            }

            return runs;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ChildExecutionRecord> GetChildren(string mapRunArn) => QueryChildren(mapRunArn, null, int.MaxValue, withHistory: false);

    /// <summary>
    /// The Map Run's children that did not succeed (FAILED, TIMED_OUT, ABORTED), by index, at most
    /// <paramref name="limit"/> of them (with their history), and how many there are in all.
    /// </summary>
    public (IReadOnlyList<ChildExecutionRecord> Children, long Total) GetUnsuccessfulChildren(string mapRunArn, int limit)
    {
        var children = QueryChildren(mapRunArn, "status<>'SUCCEEDED'", limit, withHistory: true);
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM map_run_children WHERE map_run_arn=$arn AND status<>'SUCCEEDED'";
            command.Parameters.AddWithValue("$arn", mapRunArn);
            return (children, Convert.ToInt64(command.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>One child execution (with its history if it was kept) by its name or execution ARN.</summary>
    public (MapRunRecord MapRun, ChildExecutionRecord Child)? FindChildExecution(string nameOrArn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrArn);
        // A child's ARN is ...:execution:<state machine>/<map label>:<name>, its name "<map run id>:<index>".
        var name = nameOrArn;
        if (name.StartsWith("arn:", StringComparison.Ordinal))
        {
            var label = name[(name.LastIndexOf('/') + 1)..];
            name = label[(label.IndexOf(':', StringComparison.Ordinal) + 1)..];
        }

        string? mapRunArn = null;
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT map_run_arn FROM map_run_children WHERE name=$name LIMIT 1";
            command.Parameters.AddWithValue("$name", name);
            mapRunArn = command.ExecuteScalar() as string;
        }

        if (mapRunArn is null || FindMapRun(mapRunArn) is not { } run)
        {
            return null;
        }

        var child = QueryChildren(mapRunArn, "name=$name", 1, withHistory: true, ("$name", name)).FirstOrDefault();
        return child is null ? null : (run, child);
    }

    private List<ChildExecutionRecord> QueryChildren(string mapRunArn, string? where, int limit, bool withHistory, params (string Name, object Value)[] parameters)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"""
                SELECT {ChildColumns}, {(withHistory ? "history" : "NULL")} FROM map_run_children
                WHERE map_run_arn=$arn {(where is null ? string.Empty : "AND " + where)} ORDER BY idx LIMIT $limit
                """;
            command.Parameters.AddWithValue("$arn", mapRunArn);
            command.Parameters.AddWithValue("$limit", limit);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            using var reader = command.ExecuteReader();
            var children = new List<ChildExecutionRecord>();
            while (reader.Read())
            {
                children.Add(new ChildExecutionRecord
                {
                    Index = reader.GetInt32(0),
                    Name = reader.GetString(1),
                    Status = reader.GetString(2),
                    Input = reader.GetString(3),
                    Output = NullableString(reader, 4),
                    Error = NullableString(reader, 5),
                    Cause = NullableString(reader, 6),
                    StartDate = Parse(reader.GetString(7)),
                    StopDate = reader.IsDBNull(8) ? null : Parse(reader.GetString(8)),
                    ItemCount = reader.GetInt32(9),
                    HistoryJson = NullableString(reader, 10),
                });
            }

            return children;
        }
    }

    /// <summary>An execution whose process died: its running Map Runs end FAILED, their running children count as aborted.</summary>
    private void FailRunningMapRuns(string executionArn, DateTimeOffset now)
    {
        foreach (var run in ListMapRuns(executionArn).Where(r => r.Status == MapRunRecord.Running))
        {
            SaveMapRun(run with
            {
                Status = MapRunRecord.Failed,
                StopDate = now,
                Error = "StockFlow.ExecutionInterrupted",
                Cause = "The process that ran this Map Run stopped before it finished.",
                ItemCounts = RunningAborted(run.ItemCounts),
                ExecutionCounts = RunningAborted(run.ExecutionCounts),
            });
        }

        static MapRunCounts RunningAborted(MapRunCounts c) => c with { Running = 0, Aborted = c.Aborted + c.Running };
    }

    private static MapRunRecord ReadMapRun(SqliteDataReader reader) => new()
    {
        MapRunArn = reader.GetString(0),
        ExecutionArn = reader.GetString(1),
        StateName = reader.GetString(2),
        Status = reader.GetString(3),
        StartDate = Parse(reader.GetString(4)),
        StopDate = reader.IsDBNull(5) ? null : Parse(reader.GetString(5)),
        MaxConcurrency = reader.GetInt32(6),
        ToleratedFailurePercentage = reader.GetDouble(7),
        ToleratedFailureCount = reader.GetInt64(8),
        ItemCounts = MapRunCounts.FromJson(JsonNode.Parse(reader.GetString(9))),
        ExecutionCounts = MapRunCounts.FromJson(JsonNode.Parse(reader.GetString(10))),
        RedriveCount = reader.GetInt32(11),
        RedriveDate = reader.IsDBNull(12) ? null : Parse(reader.GetString(12)),
        Error = NullableString(reader, 13),
        Cause = NullableString(reader, 14),
    };

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private SqliteCommand PrepareInsertChild()
    {
        var command = _connection.CreateCommand();
        command.CommandText = $"""
            INSERT OR REPLACE INTO map_run_children(map_run_arn, {ChildColumns}, history)
            VALUES($arn, $idx, $name, $status, $input, $output, $error, $cause, $start, $stop, $items, $history)
            """;
        foreach (var name in new[] { "$arn", "$idx", "$name", "$status", "$input", "$output", "$error", "$cause", "$start", "$stop", "$items", "$history" })
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }
}
