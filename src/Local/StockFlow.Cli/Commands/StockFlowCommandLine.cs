using System.CommandLine;
using StockFlow.Cli.Hosting;

namespace StockFlow.Cli.Commands;

/// <summary>The <c>stockflow</c> command tree (docs/architecture.md, "The CLI") and its one entry point.</summary>
public static class StockFlowCommandLine
{
    /// <summary>The root command with every subcommand and its options, ready to parse and invoke.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("StockFlow: daily stock-market analysis. Runs the Step Functions pipeline locally, queries the lake, inspects executions.")
        {
            RunCommand.Create(),
            QueryCommand.Create(),
            AslCommands.Create(),
            ExecutionCommands.Create(),
            RerunCommand.Create(),
            RedriveCommand.Create(),
            StopCommand.Create(),
            CatalogCommands.Create(),
            ServeCommand.Create(),
            PackageCommand.Create(),
        };
        root.Options.Add(new Option<bool>(CliAction.VerboseOption)
        {
            Description = "On failure, also print the stack trace.",
            Recursive = true,
        });
        return root;
    }

    /// <summary>
    /// Parses the arguments with response files off: <c>--input @file</c> names an input file for the command,
    /// and System.CommandLine would otherwise splice the file's JSON in as extra arguments.
    /// </summary>
    public static ParseResult Parse(IReadOnlyList<string> args) =>
        Build().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    /// <summary>
    /// Runs one command line on the given writers (the console from Program, a test's writers in-process):
    /// a usage error exits 2 with one line per problem; a failure exits 1 with one line (see <see cref="ErrorReport"/>).
    /// </summary>
    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        configuration ??= new InvocationConfiguration();
        configuration.EnableDefaultExceptionHandler = false;
        var parse = Parse(args);
        if (parse.Errors.Count > 0)
        {
            var console = new CliConsole(configuration.Output, configuration.Error);
            foreach (var error in parse.Errors)
            {
                console.WriteError(error.Message);
            }

            console.WriteNote($"Usage: `{CommandPath(parse)} --help`.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command is RootCommand ? "stockflow" : result.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = "Folder with the local lake, catalog and execution history (default ./.stockflow).",
    };

    public static Option<double> WaitScale() => new("--wait-scale")
    {
        Description = "Scale for Wait states and retry back-offs: 0 fast-forwards (default), 1 is real time.",
        DefaultValueFactory = _ => 0,
    };
}
