using System.Globalization;
using Microsoft.Data.Sqlite;

namespace StockFlow.Runtime.Local.Executions;

/// <summary>
/// The paged reads the console and the Step Functions API need: executions newest first with
/// keyset paging (a page costs the same at row 10 and row 10,000), and a window of one
/// execution's events.
/// </summary>
public sealed partial class ExecutionStore
{
    private bool _queryIndexesCreated;

    /// <summary>One page of executions, newest first, and the cursor of the next page (null on the last one).</summary>
    public ExecutionPage ListPage(ExecutionQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            EnsureQueryIndexes();
            var where = new List<string>();
            using var command = _connection.CreateCommand();
            if (query.StateMachineArn is not null)
            {
                where.Add("state_machine=$sm");
                command.Parameters.AddWithValue("$sm", query.StateMachineArn);
            }

            if (query.Status is not null)
            {
                where.Add("status=$status");
                command.Parameters.AddWithValue("$status", query.Status);
            }

            if (!string.IsNullOrEmpty(query.NameContains))
            {
                where.Add(@"name LIKE $name ESCAPE '\'");
                command.Parameters.AddWithValue("$name", "%" + EscapeLike(query.NameContains) + "%");
            }

            if (query.Redriven is { } redriven)
            {
                where.Add(redriven ? "redrive_count > 0" : "redrive_count = 0");
            }

            if (query.After is { } after)
            {
                where.Add("(start_date < $afterStart OR (start_date = $afterStart AND rowid < $afterRow))");
                command.Parameters.AddWithValue("$afterStart", after.StartDate);
                command.Parameters.AddWithValue("$afterRow", after.RowId);
            }

            command.CommandText = $"""
                SELECT {SummaryColumns}, rowid, start_date FROM executions
                {(where.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", where))}
                ORDER BY start_date DESC, rowid DESC LIMIT $limit
                """;
            command.Parameters.AddWithValue("$limit", query.Limit + 1);
            using var reader = command.ExecuteReader();
            var items = new List<ExecutionSummary>();
            ExecutionCursor? last = null;
            var more = false;
            while (reader.Read())
            {
                if (items.Count == query.Limit)
                {
                    // The (limit + 1)th row only tells that another page exists.
                    more = true;
                    break;
                }

                items.Add(ReadSummary(reader));
                last = new ExecutionCursor(reader.GetString(11), reader.GetInt64(10));
            }

            return new ExecutionPage(items, more ? last : null);
        }
    }

    /// <summary>Counts executions by status (for the console's filter chips).</summary>
    public IReadOnlyDictionary<string, long> CountByStatus()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT status, COUNT(*) FROM executions GROUP BY status";
            using var reader = command.ExecuteReader();
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            while (reader.Read())
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }

            return counts;
        }
    }

    /// <summary>The input of the newest execution of a state machine (the console prefills its start form with it).</summary>
    public string? LastInput(string stateMachineArn)
    {
        lock (_gate)
        {
            EnsureQueryIndexes();
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT input FROM executions WHERE state_machine=$sm ORDER BY start_date DESC, rowid DESC LIMIT 1";
            command.Parameters.AddWithValue("$sm", stateMachineArn);
            return command.ExecuteScalar() as string;
        }
    }

    /// <summary>One execution by its exact ARN (an indexed lookup; <see cref="Find"/> also matches names and prefixes).</summary>
    public ExecutionDetails? FindByArn(string executionArn)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT {SummaryColumns}, definition, input, output, data_dir FROM executions WHERE execution_arn=$arn";
            command.Parameters.AddWithValue("$arn", executionArn);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new ExecutionDetails(
                    ReadSummary(reader),
                    reader.GetString(10),
                    reader.IsDBNull(11) ? null : reader.GetString(11),
                    reader.IsDBNull(12) ? null : reader.GetString(12),
                    reader.IsDBNull(13) ? null : reader.GetString(13))
                : null;
        }
    }

    /// <summary>The inputs of the given executions, in one query (a list page shows each input's start).</summary>
    public IReadOnlyDictionary<string, string> InputsOf(IReadOnlyList<string> executionArns)
    {
        ArgumentNullException.ThrowIfNull(executionArns);
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (executionArns.Count == 0)
        {
            return inputs;
        }

        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            var names = executionArns.Select((arn, i) =>
            {
                command.Parameters.AddWithValue("$a" + i.ToString(CultureInfo.InvariantCulture), arn);
                return "$a" + i.ToString(CultureInfo.InvariantCulture);
            }).ToList();
            command.CommandText = $"SELECT execution_arn, input FROM executions WHERE input IS NOT NULL AND execution_arn IN ({string.Join(",", names)})";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                inputs[reader.GetString(0)] = reader.GetString(1);
            }
        }

        return inputs;
    }

    /// <summary>Up to <paramref name="limit"/> events after (or, reversed, before) an event id.</summary>
    public IReadOnlyList<StoredEvent> GetEventsPage(string executionArn, long afterId, int limit, bool reverse)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = reverse
                ? "SELECT id, previous_event_id, type, timestamp, details FROM events WHERE execution_arn=$arn AND id < $after ORDER BY id DESC LIMIT $limit"
                : "SELECT id, previous_event_id, type, timestamp, details FROM events WHERE execution_arn=$arn AND id > $after ORDER BY id LIMIT $limit";
            command.Parameters.AddWithValue("$arn", executionArn);
            command.Parameters.AddWithValue("$after", reverse && afterId == 0 ? long.MaxValue : afterId);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var events = new List<StoredEvent>();
            while (reader.Read())
            {
                events.Add(new StoredEvent(
                    reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2),
                    DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                    reader.GetString(4)));
            }

            return events;
        }
    }

    /// <summary>When an execution last recorded an event of a type (e.g. ExecutionRedriven: DescribeExecution's redriveDate); null if never.</summary>
    public DateTimeOffset? LastEventTime(string executionArn, string type)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT timestamp FROM events WHERE execution_arn=$arn AND type=$type ORDER BY id DESC LIMIT 1";
            command.Parameters.AddWithValue("$arn", executionArn);
            command.Parameters.AddWithValue("$type", type);
            return command.ExecuteScalar() is string timestamp
                ? DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
                : null;
        }
    }

    private void EnsureQueryIndexes()
    {
        if (_queryIndexesCreated)
        {
            return;
        }

        Execute("CREATE INDEX IF NOT EXISTS executions_by_machine_start ON executions(state_machine, start_date)");
        _queryIndexesCreated = true;
    }
}

/// <summary>Which executions a page holds; <see cref="After"/> is the previous page's cursor.</summary>
public sealed record ExecutionQuery(
    string? StateMachineArn = null,
    string? Status = null,
    string? NameContains = null,
    bool? Redriven = null,
    ExecutionCursor? After = null,
    int Limit = 100);

/// <summary>Where a page ended: the last row's start date (as stored) and row id.</summary>
public sealed record ExecutionCursor(string StartDate, long RowId);

/// <summary>One page of a listing.</summary>
/// <param name="Items">The executions on this page.</param>
/// <param name="Next">Pass as <see cref="ExecutionQuery.After"/> for the next page; null on the last page.</param>
public sealed record ExecutionPage(IReadOnlyList<ExecutionSummary> Items, ExecutionCursor? Next);
