using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using StockFlow.Asl.Execution;

namespace StockFlow.Runtime.Local.Executions;

/// <summary>
/// The local execution history: one SQLite file with executions and their events, written
/// as they happen (WAL, one short transaction per event) so a killed process leaves a
/// history that can be redriven; Distributed Map runs and their child executions live
/// beside them (ExecutionStore.MapRuns.cs).
/// </summary>
public sealed partial class ExecutionStore : IDisposable
{
    /// <summary>Step Functions keeps at most this many events per execution (the interpreter's cap, defined once).</summary>
    public const int MaxEventsPerExecution = StockFlow.Asl.Execution.ExecutionOptions.AwsMaxHistoryEvents;

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private SqliteCommand? _insertEvent;

    /// <summary>Opens the history database, creating the file and its tables if needed.</summary>
    /// <param name="databasePath">The SQLite file, usually <see cref="DataDirectory.ExecutionsDatabase"/>.</param>
    /// <exception cref="ExecutionHistoryCorruptException">The file exists and is not an SQLite database.</exception>
    public ExecutionStore(string databasePath)
    {
        RequireSqliteFile(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;");
        Execute("""
            CREATE TABLE IF NOT EXISTS executions(
              execution_arn TEXT PRIMARY KEY,
              name TEXT NOT NULL,
              state_machine TEXT NOT NULL,
              definition TEXT NOT NULL,
              status TEXT NOT NULL,
              input TEXT,
              output TEXT,
              error TEXT,
              cause TEXT,
              start_date TEXT NOT NULL,
              stop_date TEXT,
              redrive_count INTEGER NOT NULL DEFAULT 0,
              owner_pid INTEGER,
              owner_start TEXT,
              stop_requested INTEGER NOT NULL DEFAULT 0,
              data_dir TEXT);
            CREATE INDEX IF NOT EXISTS executions_by_start ON executions(start_date);
            CREATE TABLE IF NOT EXISTS events(
              execution_arn TEXT NOT NULL,
              id INTEGER NOT NULL,
              previous_event_id INTEGER NOT NULL,
              type TEXT NOT NULL,
              timestamp TEXT NOT NULL,
              details TEXT NOT NULL,
              PRIMARY KEY(execution_arn, id)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS map_runs(
              map_run_arn TEXT PRIMARY KEY,
              execution_arn TEXT NOT NULL,
              state_name TEXT NOT NULL,
              status TEXT NOT NULL,
              start_date TEXT NOT NULL,
              stop_date TEXT,
              max_concurrency INTEGER NOT NULL,
              tolerated_failure_percentage REAL NOT NULL,
              tolerated_failure_count INTEGER NOT NULL,
              item_counts TEXT NOT NULL,
              execution_counts TEXT NOT NULL,
              redrive_count INTEGER NOT NULL DEFAULT 0,
              redrive_date TEXT,
              error TEXT,
              cause TEXT);
            CREATE INDEX IF NOT EXISTS map_runs_by_execution ON map_runs(execution_arn, start_date);
            CREATE TABLE IF NOT EXISTS map_run_children(
              map_run_arn TEXT NOT NULL,
              idx INTEGER NOT NULL,
              name TEXT NOT NULL,
              status TEXT NOT NULL,
              input TEXT NOT NULL,
              output TEXT,
              error TEXT,
              cause TEXT,
              start_date TEXT NOT NULL,
              stop_date TEXT,
              item_count INTEGER NOT NULL,
              history TEXT,
              PRIMARY KEY(map_run_arn, idx));
            """);
    }

    /// <summary>Records a new execution as <c>RUNNING</c>, owned by this process (so <see cref="FailOrphanedExecutions"/> can tell when it died).</summary>
    public void CreateExecution(ExecutionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var owner = Process.GetCurrentProcess();
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO executions(execution_arn, name, state_machine, definition, status, input, start_date, redrive_count, owner_pid, owner_start, data_dir)
                VALUES($arn, $name, $sm, $definition, 'RUNNING', $input, $start, 0, $pid, $ownerStart, $dataDir)
                """;
            command.Parameters.AddWithValue("$arn", record.ExecutionArn);
            command.Parameters.AddWithValue("$name", record.Name);
            command.Parameters.AddWithValue("$sm", record.StateMachine);
            command.Parameters.AddWithValue("$definition", record.Definition);
            command.Parameters.AddWithValue("$input", (object?)record.Input ?? DBNull.Value);
            command.Parameters.AddWithValue("$start", Format(record.StartDate));
            command.Parameters.AddWithValue("$pid", owner.Id);
            command.Parameters.AddWithValue("$ownerStart", Format(owner.StartTime.ToUniversalTime()));
            command.Parameters.AddWithValue("$dataDir", (object?)record.DataDir ?? DBNull.Value);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Marks an execution as running again in this process (redrive).</summary>
    public void MarkRedriven(string executionArn, int redriveCount)
    {
        using var owner = Process.GetCurrentProcess();
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                UPDATE executions SET status='RUNNING', stop_date=NULL, error=NULL, cause=NULL, output=NULL,
                  redrive_count=$count, owner_pid=$pid, owner_start=$ownerStart, stop_requested=0
                WHERE execution_arn=$arn
                """;
            command.Parameters.AddWithValue("$arn", executionArn);
            command.Parameters.AddWithValue("$count", redriveCount);
            command.Parameters.AddWithValue("$pid", owner.Id);
            command.Parameters.AddWithValue("$ownerStart", Format(owner.StartTime.ToUniversalTime()));
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Appends one history event; past the Step Functions cap the event is refused.</summary>
    public void AppendEvent(string executionArn, StoredEvent storedEvent)
    {
        ArgumentNullException.ThrowIfNull(storedEvent);
        if (storedEvent.Id > MaxEventsPerExecution)
        {
            throw new InvalidOperationException(
                $"Execution '{executionArn}' reached the limit of {MaxEventsPerExecution} history events.");
        }

        lock (_gate)
        {
            _insertEvent ??= PrepareInsertEvent();
            _insertEvent.Parameters["$arn"].Value = executionArn;
            _insertEvent.Parameters["$id"].Value = storedEvent.Id;
            _insertEvent.Parameters["$prev"].Value = storedEvent.PreviousEventId;
            _insertEvent.Parameters["$type"].Value = storedEvent.Type;
            _insertEvent.Parameters["$ts"].Value = Format(storedEvent.Timestamp);
            _insertEvent.Parameters["$details"].Value = storedEvent.DetailsJson;
            _insertEvent.ExecuteNonQuery();
        }
    }

    /// <summary>Records how an execution ended and releases it from this process.</summary>
    /// <param name="executionArn">The execution.</param>
    /// <param name="status"><c>SUCCEEDED</c>, <c>FAILED</c>, <c>TIMED_OUT</c> or <c>ABORTED</c>.</param>
    /// <param name="output">The output JSON of a succeeded execution; null otherwise.</param>
    /// <param name="error">The error name of an execution that did not succeed; null otherwise.</param>
    /// <param name="cause">The cause that goes with <paramref name="error"/>.</param>
    /// <param name="stopDate">When the execution ended.</param>
    public void Complete(string executionArn, string status, string? output, string? error, string? cause, DateTimeOffset stopDate)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                UPDATE executions SET status=$status, output=$output, error=$error, cause=$cause, stop_date=$stop, owner_pid=NULL
                WHERE execution_arn=$arn
                """;
            command.Parameters.AddWithValue("$arn", executionArn);
            command.Parameters.AddWithValue("$status", status);
            command.Parameters.AddWithValue("$output", (object?)output ?? DBNull.Value);
            command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
            command.Parameters.AddWithValue("$cause", (object?)cause ?? DBNull.Value);
            command.Parameters.AddWithValue("$stop", Format(stopDate));
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Asks a running execution to stop (its process polls the flag); the error and cause (StopExecution's) go into its ExecutionAborted event.</summary>
    /// <returns>False when the execution is not running (or does not exist).</returns>
    public bool RequestStop(string executionArn, string? error = null, string? cause = null)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "UPDATE executions SET stop_requested=1, error=$error, cause=$cause WHERE execution_arn=$arn AND status='RUNNING'";
            command.Parameters.AddWithValue("$arn", executionArn);
            command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
            command.Parameters.AddWithValue("$cause", (object?)cause ?? DBNull.Value);
            return command.ExecuteNonQuery() == 1;
        }
    }

    /// <summary>The error and cause a stop request of a running execution gave; null when no stop was requested.</summary>
    public (string? Error, string? Cause)? StopReason(string executionArn)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT error, cause FROM executions WHERE execution_arn=$arn AND stop_requested=1";
            command.Parameters.AddWithValue("$arn", executionArn);
            using var reader = command.ExecuteReader();
            return reader.Read() ? (reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)) : null;
        }
    }

    /// <summary>Whether a stop was requested for the execution; the running process polls this.</summary>
    public bool IsStopRequested(string executionArn)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT stop_requested FROM executions WHERE execution_arn=$arn";
            command.Parameters.AddWithValue("$arn", executionArn);
            return Convert.ToInt64(command.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture) == 1;
        }
    }

    /// <summary>
    /// Executions still marked RUNNING whose process is gone (killed, crashed) are marked
    /// FAILED so that they can be redriven. Returns the ones it marked.
    /// </summary>
    public IReadOnlyList<string> FailOrphanedExecutions(DateTimeOffset now)
    {
        var orphaned = new List<(string Arn, long? Pid)>();
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT execution_arn, owner_pid, owner_start FROM executions WHERE status='RUNNING'";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                long? pid = reader.IsDBNull(1) ? null : reader.GetInt64(1);
                var ownerStart = reader.IsDBNull(2) ? null : reader.GetString(2);
                if (!IsOwnerAlive(pid, ownerStart))
                {
                    orphaned.Add((reader.GetString(0), pid));
                }
            }
        }

        foreach (var (arn, pid) in orphaned)
        {
            FailRunningMapRuns(arn, now);
            Complete(arn, "FAILED", null, "StockFlow.ExecutionInterrupted",
                $"The process that ran this execution (pid {pid?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}) stopped before the execution finished. Run `stockflow redrive <id>` to resume it from the state it was in.",
                now);
        }

        return orphaned.ConvertAll(o => o.Arn);
    }

    /// <summary>The newest executions first.</summary>
    /// <param name="limit">At most this many; default 50.</param>
    /// <param name="status">Only executions with this status (e.g. <c>FAILED</c>); null lists all.</param>
    public IReadOnlyList<ExecutionSummary> List(int limit = 50, string? status = null)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"""
                SELECT {SummaryColumns} FROM executions
                {(status is null ? string.Empty : "WHERE status=$status")}
                ORDER BY start_date DESC, rowid DESC LIMIT $limit
                """;
            command.Parameters.AddWithValue("$limit", limit);
            if (status is not null)
            {
                command.Parameters.AddWithValue("$status", status);
            }

            using var reader = command.ExecuteReader();
            var list = new List<ExecutionSummary>();
            while (reader.Read())
            {
                list.Add(ReadSummary(reader));
            }

            return list;
        }
    }

    /// <summary>Finds an execution by ARN, by name, or by a unique name prefix.</summary>
    /// <returns>The execution, or null when nothing matches.</returns>
    /// <exception cref="InvalidOperationException">A prefix matches more than one execution.</exception>
    public ExecutionDetails? Find(string idOrName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idOrName);
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"""
                SELECT {SummaryColumns}, definition, input, output, data_dir FROM executions
                WHERE execution_arn=$id OR name=$id OR name LIKE $prefix ESCAPE '\'
                ORDER BY (execution_arn=$id OR name=$id) DESC LIMIT 2
                """;
            command.Parameters.AddWithValue("$id", idOrName);
            command.Parameters.AddWithValue("$prefix", EscapeLike(idOrName) + "%");
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            var summary = ReadSummary(reader);
            var details = new ExecutionDetails(
                summary,
                reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.IsDBNull(12) ? null : reader.GetString(12),
                reader.IsDBNull(13) ? null : reader.GetString(13));
            var exact = summary.ExecutionArn == idOrName || summary.Name == idOrName;
            if (!exact && reader.Read())
            {
                throw new InvalidOperationException($"'{idOrName}' matches more than one execution; give more of its name.");
            }

            return details;
        }
    }

    /// <summary>An execution's history events in id order; empty for an unknown execution.</summary>
    public IReadOnlyList<StoredEvent> GetEvents(string executionArn)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT id, previous_event_id, type, timestamp, details FROM events WHERE execution_arn=$arn ORDER BY id";
            command.Parameters.AddWithValue("$arn", executionArn);
            using var reader = command.ExecuteReader();
            var events = new List<StoredEvent>();
            while (reader.Read())
            {
                events.Add(new StoredEvent(
                    reader.GetInt64(0),
                    reader.GetInt64(1),
                    reader.GetString(2),
                    Parse(reader.GetString(3)),
                    reader.GetString(4)));
            }

            return events;
        }
    }

    /// <summary>An existing file that is not SQLite is named with the way to start over, instead of SQLite's "file is not a database".</summary>
    private static void RequireSqliteFile(string databasePath)
    {
        var info = new FileInfo(databasePath);
        if (!info.Exists || info.Length == 0)
        {
            return;
        }

        var header = new byte[16];
        using (var file = File.OpenRead(databasePath))
        {
            file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        if (!header.AsSpan().SequenceEqual("SQLite format 3\0"u8))
        {
            throw new ExecutionHistoryCorruptException(
                $"The execution history '{databasePath}' is damaged (not an SQLite database). Move it aside to start a new history " +
                $"(mv '{databasePath}' '{databasePath}.corrupt'); the lake, the catalog and the data are not in it.");
        }
    }

    /// <summary>Closes the database.</summary>
    public void Dispose()
    {
        _insertEvent?.Dispose();
        _insertChild?.Dispose();
        _connection.Dispose();
    }

    private const string SummaryColumns =
        "execution_arn, name, state_machine, status, start_date, stop_date, error, cause, redrive_count, " +
        "(SELECT COUNT(*) FROM events e WHERE e.execution_arn = executions.execution_arn)";

    private static ExecutionSummary ReadSummary(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        Parse(reader.GetString(4)),
        reader.IsDBNull(5) ? null : Parse(reader.GetString(5)),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.GetInt32(8),
        reader.GetInt64(9));

    private SqliteCommand PrepareInsertEvent()
    {
        var command = _connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO events(execution_arn, id, previous_event_id, type, timestamp, details) VALUES($arn, $id, $prev, $type, $ts, $details)";
        foreach (var name in new[] { "$arn", "$id", "$prev", "$type", "$ts", "$details" })
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static bool IsOwnerAlive(long? pid, string? ownerStart)
    {
        if (pid is null)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById((int)pid.Value);
            // A recycled pid belongs to another process: compare start times too. On Linux .NET derives
            // them from the boot time as seen at each call, so two readings differ by milliseconds.
            return ownerStart is null
                || Math.Abs((process.StartTime.ToUniversalTime() - Parse(ownerStart).UtcDateTime).TotalSeconds) < 2;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
             .Replace("%", "\\%", StringComparison.Ordinal)
             .Replace("_", "\\_", StringComparison.Ordinal);

    private static object Format(DateTimeOffset? value) => value is { } v ? Format(v) : DBNull.Value;

    private static string Format(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static string Format(DateTime value) => value.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}

/// <summary>A new execution, as <see cref="ExecutionStore.CreateExecution"/> records it.</summary>
/// <param name="ExecutionArn">The execution's ARN (<see cref="Definitions.LocalResourceNames.ExecutionArn"/>).</param>
/// <param name="Name">The execution name, unique within the state machine.</param>
/// <param name="StateMachine">The state machine's ARN.</param>
/// <param name="Definition">The definition JSON the execution runs, kept so a redrive runs the same one.</param>
/// <param name="Input">The input JSON; null when there is none.</param>
/// <param name="StartDate">When the execution started.</param>
/// <param name="DataDir">The data directory the execution ran against; null when not recorded.</param>
public sealed record ExecutionRecord(
    string ExecutionArn,
    string Name,
    string StateMachine,
    string Definition,
    string? Input,
    DateTimeOffset StartDate,
    string? DataDir = null);

/// <summary>One history event as stored.</summary>
/// <param name="Id">The event id, from 1 in the order events happened.</param>
/// <param name="PreviousEventId">The event this one follows (Step Functions' <c>previousEventId</c>); 0 for the first.</param>
/// <param name="Type">The event type, e.g. <c>TaskStateEntered</c>.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="DetailsJson">The event's details object (what GetExecutionHistory puts under <c>&lt;type&gt;EventDetails</c>), as JSON.</param>
public sealed record StoredEvent(long Id, long PreviousEventId, string Type, DateTimeOffset Timestamp, string DetailsJson);

/// <summary>One execution as <c>ListExecutions</c> and <c>stockflow executions</c> show it.</summary>
/// <param name="ExecutionArn">The execution's ARN.</param>
/// <param name="Name">The execution name.</param>
/// <param name="StateMachine">The state machine's ARN.</param>
/// <param name="Status"><c>RUNNING</c>, <c>SUCCEEDED</c>, <c>FAILED</c>, <c>TIMED_OUT</c> or <c>ABORTED</c>.</param>
/// <param name="StartDate">When it started.</param>
/// <param name="StopDate">When it ended; null while running.</param>
/// <param name="Error">The error name when it did not succeed; null otherwise.</param>
/// <param name="Cause">The cause that goes with <paramref name="Error"/>.</param>
/// <param name="RedriveCount">How many times it was redriven.</param>
/// <param name="EventCount">How many history events it has.</param>
public sealed record ExecutionSummary(
    string ExecutionArn,
    string Name,
    string StateMachine,
    string Status,
    DateTimeOffset StartDate,
    DateTimeOffset? StopDate,
    string? Error,
    string? Cause,
    int RedriveCount,
    long EventCount);

/// <summary>One execution with what a redrive or <c>DescribeExecution</c> needs.</summary>
/// <param name="Summary">Its summary.</param>
/// <param name="Definition">The definition JSON it ran.</param>
/// <param name="Input">The input JSON; null when there was none.</param>
/// <param name="Output">The output JSON; null unless it succeeded.</param>
/// <param name="DataDir">The data directory it ran against; null when not recorded.</param>
public sealed record ExecutionDetails(
    ExecutionSummary Summary,
    string Definition,
    string? Input,
    string? Output,
    string? DataDir);
