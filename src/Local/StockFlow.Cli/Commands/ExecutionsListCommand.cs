using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using StockFlow.Cli.Hosting;
using StockFlow.Runtime.Local;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow executions list</c>: executions, newest first.</summary>
internal sealed class ExecutionsListCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly string[] Statuses = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];

    private readonly Option<int> _limit = new("--limit") { Description = "How many, newest first.", DefaultValueFactory = _ => 20 };
    private readonly Option<string?> _status = new("--status") { Description = "Only RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED." };
    private readonly Option<bool> _json = new("--json") { Description = "JSON instead of a table." };
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();

    public static Command Create() => new ExecutionsListCommand().Build();

    private Command Build()
    {
        _status.AcceptOnlyFromAmong(Statuses);
        var command = new Command("list", "List executions, newest first.") { _limit, _status, _json, _dataDir };
        CliAction.Set(command, Execute);
        return command;
    }

    private int Execute(ParseResult parse, CliConsole console)
    {
        if (parse.GetValue(_limit) < 1)
        {
            throw new CliUsageException($"--limit must be at least 1 (was {parse.GetValue(_limit)}).");
        }

        var directory = new DataDirectory(parse.GetValue(_dataDir));
        using var store = ExecutionCommands.OpenExisting(directory);
        var executions = store?.List(parse.GetValue(_limit), parse.GetValue(_status)) ?? [];
        if (parse.GetValue(_json))
        {
            console.Out.WriteLine(new JsonArray(executions.Select(e => (JsonNode?)ExecutionCommands.SummaryJson(e)).ToArray()).ToJsonString(Indented));
            return ExitCodes.Success;
        }

        if (store is null)
        {
            console.WriteNote($"No executions in {directory.Root} yet: `stockflow run` starts one.");
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Name", "Status", "Started", "Stopped", "Events", "Redrives", "Error");
        foreach (var e in executions)
        {
            table.AddRow(
                Markup.Escape(e.Name), ExecutionCommands.StatusMarkup(e.Status), ExecutionCommands.Time(e.StartDate), e.StopDate is { } stop ? ExecutionCommands.Time(stop) : "",
                e.EventCount.ToString(CultureInfo.InvariantCulture), e.RedriveCount.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(e.Error ?? string.Empty));
        }

        console.Ansi.Write(table);
        return ExitCodes.Success;
    }
}
