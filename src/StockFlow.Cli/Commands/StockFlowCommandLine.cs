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
            ServeCommand.Create(),
            PackageCommand.Create(),
        };
        return root;
    }

    /// <summary>
    /// Parses the arguments with response files off: <c>--input @file</c> names an input file for the command,
    /// and System.CommandLine would otherwise splice the file's JSON in as extra arguments.
    /// </summary>
    public static ParseResult Parse(IReadOnlyList<string> args) =>
        Build().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
}

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = "Folder with the local lake, catalog and execution history (default ./.stockflow).",
    };
}
