using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using StockFlow.Cli.Hosting;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow executions history &lt;id&gt;</c>: the events, as Step Functions records them (GetExecutionHistory).</summary>
internal sealed class ExecutionsHistoryCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly Argument<string> _id = new("id") { Description = "Execution name, ARN, or a unique name prefix." };
    private readonly Option<bool> _json = new("--json") { Description = "JSON (GetExecutionHistory shape) instead of a table." };
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();

    public static Command Create() => new ExecutionsHistoryCommand().Build();

    private Command Build()
    {
        var command = new Command("history", "The execution's events, as Step Functions records them.") { _id, _json, _dataDir };
        CliAction.Set(command, Execute);
        return command;
    }

    private int Execute(ParseResult parse, CliConsole console)
    {
        var directory = new DataDirectory(parse.GetValue(_dataDir));
        using var store = ExecutionCommands.OpenExisting(directory);
        var execution = ExecutionCommands.Find(store, directory, parse.GetValue(_id)!);
        var events = store!.GetEvents(execution.Summary.ExecutionArn);
        if (parse.GetValue(_json))
        {
            var array = new JsonArray(events.Select(e => (JsonNode?)EventJson(e)).ToArray());
            console.Out.WriteLine(new JsonObject { ["events"] = array }.ToJsonString(Indented));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Id", "Prev", "Type", "Timestamp", "Details");
        foreach (var e in events)
        {
            table.AddRow(e.Id.ToString(CultureInfo.InvariantCulture), e.PreviousEventId.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(e.Type), ExecutionCommands.Time(e.Timestamp), Markup.Escape(Shorten(DetailsSummary(e.DetailsJson))));
        }

        console.Ansi.Write(table);
        return ExitCodes.Success;
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

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "…";
}
