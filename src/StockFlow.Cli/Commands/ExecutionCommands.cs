using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using StockFlow.Asl;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow executions list|show|history</c>, <c>rerun</c>, <c>redrive</c>, <c>stop</c>.</summary>
internal static class ExecutionCommands
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command CreateExecutions()
    {
        var command = new Command("executions", "List and inspect local executions and their event history.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(CreateHistory());
        return command;
    }

    private static Command CreateList()
    {
        var limit = new Option<int>("--limit") { Description = "How many, newest first.", DefaultValueFactory = _ => 20 };
        var status = new Option<string?>("--status") { Description = "Only RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED." };
        var json = new Option<bool>("--json") { Description = "JSON instead of a table." };
        var dataDir = CommonOptions.DataDir();
        var command = new Command("list", "List executions, newest first.") { limit, status, json, dataDir };
        command.SetAction(parse =>
        {
            using var store = OpenStore(parse.GetValue(dataDir));
            var executions = store.List(parse.GetValue(limit), parse.GetValue(status));
            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonArray(executions.Select(e => (JsonNode?)SummaryJson(e)).ToArray()).ToJsonString(Indented));
                return 0;
            }

            var table = new Table().AddColumns("Name", "Status", "Started", "Stopped", "Events", "Redrives", "Error");
            foreach (var e in executions)
            {
                table.AddRow(
                    Markup.Escape(e.Name), StatusMarkup(e.Status), Time(e.StartDate), e.StopDate is { } stop ? Time(stop) : "",
                    e.EventCount.ToString(CultureInfo.InvariantCulture), e.RedriveCount.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(e.Error ?? string.Empty));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var id = new Argument<string>("id") { Description = "Execution name, ARN, or a unique name prefix." };
        var json = new Option<bool>("--json") { Description = "JSON (DescribeExecution shape, plus mapRuns as DescribeMapRun describes them) instead of text." };
        var failedItems = new Option<int>("--failed-items") { Description = "How many failed items to list per map run.", DefaultValueFactory = _ => 20 };
        var dataDir = CommonOptions.DataDir();
        var command = new Command("show", "Describe one execution: status, input, output, error, and its Distributed Map runs with their failed items.")
        {
            id, json, failedItems, dataDir,
        };
        command.SetAction(parse =>
        {
            using var store = OpenStore(parse.GetValue(dataDir));
            var execution = Find(store, parse.GetValue(id)!);
            var described = DescribeJson(execution);
            var limit = Math.Max(0, parse.GetValue(failedItems));
            var mapRuns = store.ListMapRuns(execution.Summary.ExecutionArn)
                .Select(run => (Run: run, Failed: store.GetUnsuccessfulChildren(run.MapRunArn, limit)))
                .ToList();
            if (parse.GetValue(json))
            {
                described["mapRuns"] = new JsonArray(mapRuns.Select(m => (JsonNode?)MapRunJson(m.Run, m.Failed.Children, m.Failed.Total)).ToArray());
                Console.WriteLine(described.ToJsonString(Indented));
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumns("key", "value");
            foreach (var (key, value) in described)
            {
                table.AddRow(Markup.Escape(key), Markup.Escape(value is JsonValue ? value.ToString() : value?.ToJsonString(Indented) ?? ""));
            }

            AnsiConsole.Write(table);
            foreach (var (run, failed) in mapRuns)
            {
                PrintMapRun(run, failed.Children, failed.Total);
            }

            return 0;
        });
        return command;
    }

    private static void PrintMapRun(MapRunRecord run, IReadOnlyList<ChildExecutionRecord> failed, long failedTotal)
    {
        var items = run.ItemCounts;
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"[bold]Map run[/] {run.StateName} {run.MapRunArn[(run.MapRunArn.LastIndexOf(':') + 1)..]}: {run.Status}");
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"  items: {items.Succeeded:N0} succeeded, {items.Failed:N0} failed, {items.TimedOut:N0} timed out, {items.Aborted:N0} aborted, {items.Running:N0} running, {items.Pending:N0} pending of {items.Total:N0}");
        var executions = run.ExecutionCounts;
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"  child executions: {executions.Succeeded:N0} succeeded, {executions.Failed + executions.TimedOut + executions.Aborted:N0} unsuccessful, {executions.Running:N0} running of {executions.Total:N0}; max concurrency {run.MaxConcurrency}, redrives {run.RedriveCount}");
        if (run.Error is not null)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  [red]{run.Error}[/] {run.Cause ?? string.Empty}");
        }

        if (failed.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("Child execution", "Status", "Items", "Error", "Cause", "Input");
        foreach (var child in failed)
        {
            table.AddRow(
                Markup.Escape(child.Name), StatusMarkup(child.Status), child.ItemCount.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(child.Error ?? string.Empty), Markup.Escape(Shorten(child.Cause ?? string.Empty)), Markup.Escape(Shorten(child.Input, 80)));
        }

        AnsiConsole.Write(table);
        if (failedTotal > failed.Count)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
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

    private static Command CreateHistory()
    {
        var id = new Argument<string>("id") { Description = "Execution name, ARN, or a unique name prefix." };
        var json = new Option<bool>("--json") { Description = "JSON (GetExecutionHistory shape) instead of a table." };
        var dataDir = CommonOptions.DataDir();
        var command = new Command("history", "The execution's events, as Step Functions records them.") { id, json, dataDir };
        command.SetAction(parse =>
        {
            using var store = OpenStore(parse.GetValue(dataDir));
            var execution = Find(store, parse.GetValue(id)!);
            var events = store.GetEvents(execution.Summary.ExecutionArn);
            if (parse.GetValue(json))
            {
                var array = new JsonArray(events.Select(e => (JsonNode?)EventJson(e)).ToArray());
                Console.WriteLine(new JsonObject { ["events"] = array }.ToJsonString(Indented));
                return 0;
            }

            var table = new Table().AddColumns("Id", "Prev", "Type", "Timestamp", "Details");
            foreach (var e in events)
            {
                table.AddRow(e.Id.ToString(CultureInfo.InvariantCulture), e.PreviousEventId.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(e.Type), Time(e.Timestamp), Markup.Escape(Shorten(DetailsSummary(e.DetailsJson))));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    public static Command CreateRerun()
    {
        var id = new Argument<string>("id") { Description = "The execution whose input to run again." };
        var input = new Option<string?>("--input") { Description = "Edited input: JSON, or @file." };
        var waitScale = new Option<double>("--wait-scale") { Description = "0 fast-forwards waits (default), 1 is real time.", DefaultValueFactory = _ => 0 };
        var dataDir = CommonOptions.DataDir();
        var command = new Command("rerun", "Start a new execution with the same (or edited) input and definition.") { id, input, waitScale, dataDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var directory = new DataDirectory(parse.GetValue(dataDir)).EnsureCreated();
            using var pipeline = LocalPipeline.Open(directory, new LocalPipelineOptions { WaitScale = parse.GetValue(waitScale) });
            var edited = parse.GetValue(input) is { } text ? JsonInput.Read(text) : null;
            var outcome = await pipeline.RerunAsync(parse.GetValue(id)!, edited, new ProgressPrinter().OnEvent, cancellationToken);
            RunSummary.Print(outcome, directory);
            return outcome.Succeeded ? 0 : 1;
        });
        return command;
    }

    public static Command CreateRedrive()
    {
        var id = new Argument<string>("id") { Description = "The failed (or interrupted) execution to resume." };
        var waitScale = new Option<double>("--wait-scale") { Description = "0 fast-forwards waits (default), 1 is real time.", DefaultValueFactory = _ => 0 };
        var dataDir = CommonOptions.DataDir();
        var command = new Command("redrive", "Resume a failed execution from the state that failed, keeping completed work.") { id, waitScale, dataDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var directory = new DataDirectory(parse.GetValue(dataDir)).EnsureCreated();
            using var pipeline = LocalPipeline.Open(directory, new LocalPipelineOptions { WaitScale = parse.GetValue(waitScale) });
            var outcome = await pipeline.RedriveAsync(parse.GetValue(id)!, new ProgressPrinter().OnEvent, cancellationToken);
            RunSummary.Print(outcome, directory);
            return outcome.Succeeded ? 0 : 1;
        });
        return command;
    }

    public static Command CreateStop()
    {
        var id = new Argument<string>("id") { Description = "The running execution to stop." };
        var dataDir = CommonOptions.DataDir();
        var command = new Command("stop", "Ask a running execution to stop (it ends ABORTED).") { id, dataDir };
        command.SetAction(parse =>
        {
            using var store = OpenStore(parse.GetValue(dataDir));
            var execution = Find(store, parse.GetValue(id)!);
            if (!store.RequestStop(execution.Summary.ExecutionArn))
            {
                return RunCommand.Fail($"Execution {execution.Summary.Name} is {execution.Summary.Status}, not RUNNING.");
            }

            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Stop requested for {execution.Summary.Name}.");
            return 0;
        });
        return command;
    }

    internal static ExecutionStore OpenStore(string? dataDir)
    {
        var directory = new DataDirectory(dataDir);
        var store = new ExecutionStore(directory.ExecutionsDatabase);
        store.FailOrphanedExecutions(DateTimeOffset.UtcNow);
        return store;
    }

    private static ExecutionDetails Find(ExecutionStore store, string id) =>
        store.Find(id) ?? throw new InvalidOperationException($"No execution named '{id}'. `stockflow executions list` shows them.");

    private static JsonObject SummaryJson(ExecutionSummary e) => new()
    {
        ["executionArn"] = e.ExecutionArn,
        ["name"] = e.Name,
        ["stateMachineArn"] = e.StateMachine,
        ["status"] = e.Status,
        ["startDate"] = e.StartDate.ToString("O", CultureInfo.InvariantCulture),
        ["stopDate"] = e.StopDate?.ToString("O", CultureInfo.InvariantCulture),
        ["redriveCount"] = e.RedriveCount,
        ["error"] = e.Error,
    };

    private static JsonObject DescribeJson(ExecutionDetails e)
    {
        var json = SummaryJson(e.Summary);
        json["input"] = e.Input;
        json["output"] = e.Output;
        json["cause"] = e.Summary.Cause;
        json["eventCount"] = e.Summary.EventCount;
        return json;
    }

    private static JsonObject EventJson(StoredEvent e)
    {
        var json = new JsonObject
        {
            ["id"] = e.Id,
            ["previousEventId"] = e.PreviousEventId,
            ["type"] = e.Type,
            ["timestamp"] = e.Timestamp.ToString("O", CultureInfo.InvariantCulture),
        };
        if (JsonNode.Parse(e.DetailsJson) is JsonObject details)
        {
            foreach (var (key, value) in details)
            {
                json[key] = value?.DeepClone();
            }
        }

        return json;
    }

    private static string DetailsSummary(string detailsJson)
    {
        if (JsonNode.Parse(detailsJson) is not JsonObject details || details.Count == 0)
        {
            return string.Empty;
        }

        var inner = details.First().Value as JsonObject;
        return inner?.ToJsonString() ?? string.Empty;
    }

    private static string StatusMarkup(string status) => status switch
    {
        "SUCCEEDED" => "[green]SUCCEEDED[/]",
        "RUNNING" => "[blue]RUNNING[/]",
        _ => $"[red]{Markup.Escape(status)}[/]",
    };

    private static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Shorten(string text, int max = 160) => text.Length <= max ? text : text[..max] + "…";
}

/// <summary>Reads <c>--input</c> values: inline JSON, or <c>@path</c> to a JSON file.</summary>
internal static class JsonInput
{
    public static JsonNode? Read(string value)
    {
        var text = value.StartsWith('@') ? File.ReadAllText(value[1..]) : value;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The input is not valid JSON: {ex.Message}", ex);
        }
    }
}
