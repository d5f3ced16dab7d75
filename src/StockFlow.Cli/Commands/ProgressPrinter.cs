using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using StockFlow.Runtime.Local;

namespace StockFlow.Cli.Commands;

/// <summary>
/// Prints progress per state from the history events as they happen: each top-level state
/// when it is entered and left, Map iterations as a running count, failures with their error.
/// </summary>
internal sealed class ProgressPrinter
{
    private readonly Dictionary<string, DateTimeOffset> _entered = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _mapDepth;
    private int _iterationsDone;
    private int _iterationsFailed;

    public void OnEvent(ExecutionProgressEvent e)
    {
        lock (_gate)
        {
            Print(e);
        }
    }

    private void Print(ExecutionProgressEvent e)
    {
        switch (e.Type)
        {
            case "ExecutionStarted":
                AnsiConsole.MarkupLine("[bold]Execution started[/]");
                break;
            case "ExecutionRedriven":
                AnsiConsole.MarkupLine("[bold]Execution redriven[/]");
                break;
            case "MapStateStarted" or "ParallelStateStarted":
                _mapDepth++;
                _iterationsDone = 0;
                _iterationsFailed = 0;
                break;
            case "MapStateSucceeded" or "MapStateFailed" or "MapStateAborted" or "ParallelStateSucceeded" or "ParallelStateFailed":
                _mapDepth = Math.Max(0, _mapDepth - 1);
                break;
            case "MapIterationSucceeded":
                _iterationsDone++;
                break;
            case "MapIterationFailed":
                _iterationsFailed++;
                break;
            case "TaskFailed" or "LambdaFunctionFailed" when _mapDepth == 0:
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"    [yellow]task failed:[/] {Detail(e, "error")} {Shorten(Detail(e, "cause"))}");
                break;
            case "ExecutionSucceeded":
                AnsiConsole.MarkupLine("[green bold]Execution succeeded[/]");
                break;
            case "ExecutionFailed" or "ExecutionTimedOut" or "ExecutionAborted":
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red bold]{e.Type}[/] {Detail(e, "error")}");
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
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  [blue]>[/] {name}");
        }
        else if (e.Type.EndsWith("StateExited", StringComparison.Ordinal))
        {
            var name = StateName(e);
            var took = _entered.TryGetValue(name, out var start) ? e.Timestamp - start : TimeSpan.Zero;
            var iterations = _iterationsDone + _iterationsFailed > 0
                ? $" ({_iterationsDone} iteration(s) succeeded{(_iterationsFailed > 0 ? $", {_iterationsFailed} failed" : string.Empty)})"
                : string.Empty;
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  [green]ok[/] {name} [grey]{RunCommand.Seconds(took)}{iterations}[/]");
            _iterationsDone = 0;
            _iterationsFailed = 0;
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
