using System.Text.Json;
using StockFlow.ControlPlane.Executions;
using StockFlow.ControlPlane.StateMachines;

namespace StockFlow.ControlPlane.Scheduling;

/// <summary>A schedule as the schedules page shows it.</summary>
/// <param name="Schedule">The schedule as configured.</param>
/// <param name="LastFired">When it last fired (kept across restarts); null if never.</param>
/// <param name="LastExecutionArn">The execution it last started; null if none.</param>
/// <param name="Upcoming">Its next fire times; empty when it is disabled.</param>
public sealed record ScheduleStatus(ScheduleDefinition Schedule, DateTimeOffset? LastFired, string? LastExecutionArn, IReadOnlyList<DateTimeOffset> Upcoming);

/// <summary>
/// Fires the configured schedules inside <c>stockflow serve</c>. The last fire time of each schedule
/// is kept in <c>&lt;data-dir&gt;/schedules.json</c>, so at start-up the fire times missed while the
/// server was down are known: <see cref="MissedRunPolicy.Skip"/> drops them,
/// <see cref="MissedRunPolicy.RunOnce"/> starts one execution for them.
/// </summary>
public sealed class Scheduler : IAsyncDisposable
{
    private readonly IReadOnlyList<ScheduleDefinition> _schedules;
    private readonly StateMachineRegistry _machines;
    private readonly ExecutionLauncher _launcher;
    private readonly TimeProvider _clock;
    private readonly string _statePath;
    private readonly Dictionary<string, (DateTimeOffset Fired, string? Execution)> _last = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task _loop = Task.CompletedTask;

    /// <summary>Reads the last fire times; nothing fires until <see cref="StartAsync"/>.</summary>
    /// <param name="schedules">The configured schedules (the configuration file's <c>Schedules</c> section).</param>
    /// <param name="machines">Where the schedules' state machines are looked up.</param>
    /// <param name="launcher">Starts the executions.</param>
    /// <param name="dataRoot">The data directory's folder; the last fire times are kept in <c>schedules.json</c> there.</param>
    /// <param name="clock">The clock schedules fire by; tests pass a fake one.</param>
    public Scheduler(IReadOnlyList<ScheduleDefinition> schedules, StateMachineRegistry machines, ExecutionLauncher launcher, string dataRoot, TimeProvider clock)
    {
        _schedules = schedules;
        _machines = machines;
        _launcher = launcher;
        _clock = clock;
        _statePath = Path.Combine(dataRoot, "schedules.json");
        if (File.Exists(_statePath))
        {
            var saved = JsonSerializer.Deserialize<Dictionary<string, SavedFire>>(File.ReadAllText(_statePath)) ?? [];
            foreach (var (name, fire) in saved)
            {
                _last[name] = (fire.Fired, fire.Execution);
            }
        }
    }

    /// <summary>Every schedule with its last fire and its next <paramref name="upcoming"/> fire times (default 5).</summary>
    public IReadOnlyList<ScheduleStatus> Describe(int upcoming = 5)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            return _schedules.Select(s => new ScheduleStatus(
                s,
                _last.TryGetValue(s.Name, out var l) ? l.Fired : null,
                _last.TryGetValue(s.Name, out var e) ? e.Execution : null,
                s.Enabled ? s.Upcoming(now, upcoming) : [])).ToList();
        }
    }

    /// <summary>Handles the missed runs, then fires each schedule at its times until disposed.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var schedule in _schedules.Where(s => s.Enabled))
        {
            var now = _clock.GetUtcNow();
            if (_last.TryGetValue(schedule.Name, out var last) && schedule.NextAfter(last.Fired) is { } missed && missed <= now)
            {
                if (schedule.MissedRuns == MissedRunPolicy.RunOnce)
                {
                    await FireAsync(schedule, now, cancellationToken);
                }
                else
                {
                    Record(schedule.Name, now, last.Execution);
                }
            }
            else if (!_last.ContainsKey(schedule.Name))
            {
                // First start with this schedule: nothing was missed, it fires from now on.
                Record(schedule.Name, now, null);
            }
        }

        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _clock.GetUtcNow();
            var due = _schedules.Where(s => s.Enabled)
                .Select(s => (Schedule: s, Next: s.NextAfter(LastFired(s.Name) ?? now)))
                .Where(x => x.Next is not null)
                .OrderBy(x => x.Next)
                .ToList();
            if (due.Count == 0)
            {
                return;
            }

            var wait = due[0].Next!.Value - now;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    // Wake at least every minute: a changed system clock or a sleep is noticed.
                    await Task.Delay(wait < TimeSpan.FromMinutes(1) ? wait : TimeSpan.FromMinutes(1), _clock, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            foreach (var (schedule, next) in due.Where(x => x.Next <= now))
            {
                await FireAsync(schedule, now, cancellationToken);
            }
        }
    }

    private async Task FireAsync(ScheduleDefinition schedule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string? arn = null;
        if (_machines.Find(schedule.StateMachine) is { } machine)
        {
            var started = await _launcher.StartAsync(machine, null, schedule.Input, cancellationToken);
            arn = started.ExecutionArn;
        }

        Record(schedule.Name, now, arn);
    }

    private DateTimeOffset? LastFired(string name)
    {
        lock (_gate)
        {
            return _last.TryGetValue(name, out var l) ? l.Fired : null;
        }
    }

    private void Record(string name, DateTimeOffset fired, string? execution)
    {
        lock (_gate)
        {
            _last[name] = (fired, execution);
            var temporary = _statePath + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(_last.ToDictionary(p => p.Key, p => new SavedFire(p.Value.Fired, p.Value.Execution))));
            File.Move(temporary, _statePath, overwrite: true);
        }
    }

    /// <summary>Stops firing and waits for the loop to end; running executions go on.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private sealed record SavedFire(DateTimeOffset Fired, string? Execution);
}
