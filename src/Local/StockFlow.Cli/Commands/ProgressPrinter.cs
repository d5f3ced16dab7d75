using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using StockFlow.Cli.Hosting;
using StockFlow.Runtime.Local;

namespace StockFlow.Cli.Commands;

/// <summary>
/// Prints progress per state from the history events as they happen: each top-level state
/// when it is entered and left, Map iterations as a running count, a Distributed Map run's
/// items done/failed/total at most every <see cref="MapRunInterval"/>, failures with their error.
/// </summary>
internal sealed class ProgressPrinter
{
    private readonly Dictionary<string, DateTimeOffset> _entered = new(StringComparer.Ordinal);
    private static readonly TimeSpan MapRunInterval = TimeSpan.FromSeconds(2);
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private DateTimeOffset _lastMapRunLine = DateTimeOffset.MinValue;
    private Asl.Distributed.MapRunRecord? _mapRun;
    private int _mapDepth;
    private int _iterationsDone;
    private int _iterationsFailed;

    private readonly CliConsole _console;

    public ProgressPrinter(CliConsole console, TimeProvider? clock = null)
    {
        _console = console;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>
    /// The ingest summary last seen in a top-level state's output: a run that fails later (nothing ingested)
    /// has no output of its own, and the summary still has to say why each symbol failed.
    /// </summary>
    public JsonObject? IngestResults { get; private set; }

    public void OnEvent(ExecutionProgressEvent e)
    {
        lock (_gate)
        {
            Print(e);
        }
    }

    private void Print(ExecutionProgressEvent e)
    {
        if (e.MapRun is { } run)
        {
            PrintMapRun(run);
            return;
        }

        switch (e.Type)
        {
            case "ExecutionStarted":
                _console.Ansi.MarkupLine("[bold]Execution started[/]");
                break;
            case "ExecutionRedriven":
                _console.Ansi.MarkupLine("[bold]Execution redriven[/]");
                break;
            case "MapStateStarted" or "ParallelStateStarted":
                _mapDepth++;
                _iterationsDone = 0;
                _iterationsFailed = 0;
                break;
            case "MapStateSucceeded" or "MapStateFailed" or "MapStateAborted" or "ParallelStateSucceeded" or "ParallelStateFailed":
                _mapDepth = Math.Max(0, _mapDepth - 1);
                break;
            case "MapRunFailed" when _mapDepth == 1:
                _console.Ansi.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"    [yellow]map run failed:[/] {Detail(e, "error")} {Shorten(Detail(e, "cause"))}");
                break;
            case "MapIterationSucceeded":
                _iterationsDone++;
                break;
            case "MapIterationFailed":
                _iterationsFailed++;
                break;
            case "TaskFailed" or "LambdaFunctionFailed" when _mapDepth == 0:
                _console.Ansi.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"    [yellow]task failed:[/] {Detail(e, "error")} {Shorten(Detail(e, "cause"))}");
                break;
            case "ExecutionSucceeded":
                _console.Ansi.MarkupLine("[green bold]Execution succeeded[/]");
                break;
            case "ExecutionFailed" or "ExecutionTimedOut" or "ExecutionAborted":
                _console.Ansi.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red bold]{e.Type}[/] {Detail(e, "error")}");
                break;
            default:
                PrintState(e);
                break;
        }
    }

    private void PrintState(ExecutionProgressEvent e)
    {
        if (_mapDepth > 0)
        {
            return;
        }

        if (e.Type.EndsWith("StateEntered", StringComparison.Ordinal))
        {
            var name = StateName(e);
            _entered[name] = e.Timestamp;
            _console.Ansi.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  [blue]>[/] {name}");
        }
        else if (e.Type.EndsWith("StateExited", StringComparison.Ordinal))
        {
            var name = StateName(e);
            RememberIngestResults(e);
            var took = _entered.TryGetValue(name, out var start) ? e.Timestamp - start : TimeSpan.Zero;
            var iterations = _iterationsDone + _iterationsFailed > 0
                ? $" ({_iterationsDone} iteration(s) succeeded{(_iterationsFailed > 0 ? $", {_iterationsFailed} failed" : string.Empty)})"
                : _mapRun is { } run && run.StateName == name ? $" ({ItemsLine(run)})" : string.Empty;
            _mapRun = null;
            _console.Ansi.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  [green]ok[/] {name} [grey]{RunCommand.Seconds(took)}{iterations}[/]");
            _iterationsDone = 0;
            _iterationsFailed = 0;
        }
    }

    /// <summary>A line per map run when it starts and ends, and at most one per interval while it runs.</summary>
    private void PrintMapRun(Asl.Distributed.MapRunRecord run)
    {
        var first = _mapRun?.MapRunArn != run.MapRunArn;
        _mapRun = run;
        var now = _clock.GetUtcNow();
        var final = run.Status != Asl.Distributed.MapRunRecord.Running;
        if (!first && !final && now - _lastMapRunLine < MapRunInterval)
        {
            return;
        }

        _lastMapRunLine = now;
        var stateLabel = final ? run.Status.ToLowerInvariant() : "running";
        _console.Ansi.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"    [grey]{run.StateName} map run {stateLabel}: {ItemsLine(run)}[/]");
    }

    private static string ItemsLine(Asl.Distributed.MapRunRecord run)
    {
        var c = run.ItemCounts;
        var failed = c.Failed + c.TimedOut + c.Aborted;
        return string.Create(CultureInfo.InvariantCulture,
            $"{c.Done:N0}/{c.Total:N0} items done, {c.Succeeded:N0} succeeded, {failed:N0} failed, {c.Running:N0} running");
    }

    private void RememberIngestResults(ExecutionProgressEvent e)
    {
        if (e.Details["stateExitedEventDetails"]?["output"] is JsonValue output && output.TryGetValue<string>(out var text)
            && text.Contains("\"ingest\"", StringComparison.Ordinal))
        {
            try
            {
                if (JsonNode.Parse(text) is JsonObject state && state["ingest"] is JsonObject ingest)
                {
                    IngestResults = (JsonObject)ingest.DeepClone();
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Progress output only: an output that is not JSON has no ingest summary.
            }
        }
    }

    private static string StateName(ExecutionProgressEvent e) =>
        (e.Details["stateEnteredEventDetails"] ?? e.Details["stateExitedEventDetails"])?["name"]?.GetValue<string>() ?? "?";

    private static string Detail(ExecutionProgressEvent e, string field)
    {
        foreach (var (_, value) in e.Details)
        {
            if (value is JsonObject details && details[field] is JsonValue v && v.TryGetValue<string>(out var text))
            {
                return text;
            }
        }

        return string.Empty;
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
