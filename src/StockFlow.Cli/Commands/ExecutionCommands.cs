using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
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
        var json = new Option<bool>("--json") { Description = "JSON (DescribeExecution shape) instead of text." };
        var dataDir = CommonOptions.DataDir();
        var command = new Command("show", "Describe one execution: status, input, output, error.") { id, json, dataDir };
        command.SetAction(parse =>
        {
            using var store = OpenStore(parse.GetValue(dataDir));
            var execution = Find(store, parse.GetValue(id)!);
            var described = DescribeJson(execution);
            if (parse.GetValue(json))
            {
                Console.WriteLine(described.ToJsonString(Indented));
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumns("key", "value");
            foreach (var (key, value) in described)
            {
                table.AddRow(Markup.Escape(key), Markup.Escape(value is JsonValue ? value.ToString() : value?.ToJsonString(Indented) ?? ""));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
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

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "…";
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
