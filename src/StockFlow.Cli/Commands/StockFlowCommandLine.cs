using System.CommandLine;

namespace StockFlow.Cli.Commands;

/// <summary>The <c>stockflow</c> command tree (architecture §4).</summary>
public static class StockFlowCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("StockFlow: daily stock-market analysis. Runs the Step Functions pipeline locally, queries the lake, inspects executions.")
        {
            RunCommand.Create(),
            QueryCommand.Create(),
            AslCommands.Create(),
            ExecutionCommands.CreateExecutions(),
            ExecutionCommands.CreateRerun(),
            ExecutionCommands.CreateRedrive(),
            ExecutionCommands.CreateStop(),
            CatalogCommands.Create(),
        };
        return root;
    }
}

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = "Folder with the local lake, catalog and execution history (default ./.stockflow).",
    };
}
