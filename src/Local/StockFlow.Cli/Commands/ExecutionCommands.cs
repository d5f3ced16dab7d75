using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow executions list|show|history</c>, and what they share with <c>rerun</c>, <c>redrive</c> and <c>stop</c>.</summary>
internal static class ExecutionCommands
{
    public static Command Create()
    {
        var command = new Command("executions", "List and inspect local executions and their event history.");
        command.Subcommands.Add(ExecutionsListCommand.Create());
        command.Subcommands.Add(ExecutionsShowCommand.Create());
        command.Subcommands.Add(ExecutionsHistoryCommand.Create());
        return command;
    }

    /// <summary>The history of an existing data directory; null when it has none (nothing is created).</summary>
    public static ExecutionStore? OpenExisting(DataDirectory directory)
    {
        if (!directory.HasExecutionHistory)
        {
            return null;
        }

        var store = new ExecutionStore(directory.ExecutionsDatabase);
        store.FailOrphanedExecutions(DateTimeOffset.UtcNow);
        return store;
    }

    /// <summary>The execution named by <paramref name="id"/> (name, ARN or unique prefix).</summary>
    /// <exception cref="ExecutionNotFoundException">No history, or no such execution.</exception>
    public static ExecutionDetails Find(ExecutionStore? store, DataDirectory directory, string id) =>
        store?.Find(id) ?? throw new ExecutionNotFoundException(
            $"No execution named '{id}' in {directory.Root}. `stockflow executions list{(directory.Root == new DataDirectory().Root ? string.Empty : " --data-dir " + directory.Root)}` shows them.");

    public static JsonObject SummaryJson(ExecutionSummary e) => new()
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

    public static string StatusMarkup(string status) => status switch
    {
        "SUCCEEDED" => "[green]SUCCEEDED[/]",
        "RUNNING" => "[blue]RUNNING[/]",
        _ => $"[red]{Spectre.Console.Markup.Escape(status)}[/]",
    };

    public static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
