using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using StockFlow.Asl;
using StockFlow.Asl.Distributed;
using StockFlow.Cli.Hosting;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow executions show &lt;id&gt;</c>: status, input, output, error (DescribeExecution), and its Distributed Map runs.</summary>
internal sealed class ExecutionsShowCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly Argument<string> _id = new("id") { Description = "Execution name, ARN, or a unique name prefix." };
    private readonly Option<bool> _json = new("--json") { Description = "JSON (DescribeExecution shape, plus mapRuns as DescribeMapRun describes them) instead of text." };
    private readonly Option<int> _failedItems = new("--failed-items") { Description = "How many failed items to list per map run.", DefaultValueFactory = _ => 20 };
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();

    public static Command Create() => new ExecutionsShowCommand().Build();

    private Command Build()
    {
        var command = new Command("show", "Describe one execution: status, input, output, error, and its Distributed Map runs with their failed items.")
        {
            _id, _json, _failedItems, _dataDir,
        };
        CliAction.Set(command, Execute);
        return command;
    }

    private int Execute(ParseResult parse, CliConsole console)
    {
        var directory = new DataDirectory(parse.GetValue(_dataDir));
        using var store = ExecutionCommands.OpenExisting(directory);
        var execution = ExecutionCommands.Find(store, directory, parse.GetValue(_id)!);
        var described = DescribeJson(execution);
        var limit = Math.Max(0, parse.GetValue(_failedItems));
        var mapRuns = store!.ListMapRuns(execution.Summary.ExecutionArn)
            .Select(run => (Run: run, Failed: store.GetUnsuccessfulChildren(run.MapRunArn, limit)))
            .ToList();
        if (parse.GetValue(_json))
        {
            described["mapRuns"] = new JsonArray(mapRuns.Select(m => (JsonNode?)MapRunJson(m.Run, m.Failed.Children, m.Failed.Total)).ToArray());
            console.Out.WriteLine(described.ToJsonString(Indented));
            return ExitCodes.Success;
        }

        var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumns("key", "value");
        foreach (var (key, value) in described)
        {
            table.AddRow(Markup.Escape(key), Markup.Escape(value is JsonValue ? value.ToString() : value?.ToJsonString(Indented) ?? ""));
        }

        console.Ansi.Write(table);
        foreach (var (run, failed) in mapRuns)
        {
            PrintMapRun(console, run, failed.Children, failed.Total);
        }

        return ExitCodes.Success;
    }

    private static void PrintMapRun(CliConsole console, MapRunRecord run, IReadOnlyList<ChildExecutionRecord> failed, long failedTotal)
    {
        var items = run.ItemCounts;
        console.Ansi.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"[bold]Map run[/] {run.StateName} {run.MapRunArn[(run.MapRunArn.LastIndexOf(':') + 1)..]}: {run.Status}");
        console.Ansi.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"  items: {items.Succeeded:N0} succeeded, {items.Failed:N0} failed, {items.TimedOut:N0} timed out, {items.Aborted:N0} aborted, {items.Running:N0} running, {items.Pending:N0} pending of {items.Total:N0}");
        var executions = run.ExecutionCounts;
        console.Ansi.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"  child executions: {executions.Succeeded:N0} succeeded, {executions.Failed + executions.TimedOut + executions.Aborted:N0} unsuccessful, {executions.Running:N0} running of {executions.Total:N0}; max concurrency {run.MaxConcurrency}, redrives {run.RedriveCount}");
        if (run.Error is not null)
        {
            console.Ansi.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  [red]{run.Error}[/] {run.Cause ?? string.Empty}");
        }

        if (failed.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("Child execution", "Status", "Items", "Error", "Cause", "Input");
        foreach (var child in failed)
        {
            table.AddRow(
                Markup.Escape(child.Name), ExecutionCommands.StatusMarkup(child.Status), child.ItemCount.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(child.Error ?? string.Empty), Markup.Escape(Shorten(child.Cause ?? string.Empty)), Markup.Escape(Shorten(child.Input, 80)));
        }

        console.Ansi.Write(table);
        if (failedTotal > failed.Count)
        {
            console.Ansi.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"  … and {failedTotal - failed.Count:N0} more unsuccessful child execution(s) (--failed-items N, or --json).");
        }
    }

    /// <summary>DescribeMapRun's shape, plus the first unsuccessful children and how many there are.</summary>
    private static JsonObject MapRunJson(MapRunRecord run, IReadOnlyList<ChildExecutionRecord> failed, long failedTotal)
    {
        var json = run.ToDescribeJson();
        json["stateName"] = run.StateName;
        json["error"] = run.Error;
        json["cause"] = run.Cause;
        json["failedItems"] = new JsonArray(failed.Select(c => (JsonNode?)new JsonObject
        {
            ["name"] = c.Name,
            ["index"] = c.Index,
            ["status"] = c.Status,
            ["itemCount"] = c.ItemCount,
            ["error"] = c.Error,
            ["cause"] = c.Cause,
            ["input"] = c.Input,
            ["startDate"] = c.StartDate.ToString("O", CultureInfo.InvariantCulture),
            ["stopDate"] = c.StopDate?.ToString("O", CultureInfo.InvariantCulture),
        }).ToArray());
        json["failedItemsTotal"] = failedTotal;
        return json;
    }

    private static JsonObject DescribeJson(ExecutionDetails e)
    {
        var json = ExecutionCommands.SummaryJson(e.Summary);
        json["input"] = e.Input;
        json["output"] = e.Output;
        json["cause"] = e.Summary.Cause;
        json["eventCount"] = e.Summary.EventCount;
        return json;
    }

    private static string Shorten(string text, int max = 160) => text.Length <= max ? text : text[..max] + "…";
}
