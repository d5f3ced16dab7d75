using System.CommandLine;

namespace StockFlow.Cli.Hosting;

/// <summary>Binds a command's method as its action, with the invocation's writers and the one error mapping.</summary>
internal static class CliAction
{
    /// <summary>The option every command has (set on the root, recursive).</summary>
    public const string VerboseOption = "--verbose";

    public static void Set(Command command, Func<ParseResult, CliConsole, CancellationToken, Task<int>> run)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = new CliConsole(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            try
            {
                return await run(parse, console, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                return ErrorReport.Report(e, console, parse.GetValue<bool>(VerboseOption));
            }
        });
    }

    public static void Set(Command command, Func<ParseResult, CliConsole, int> run) =>
        Set(command, (parse, console, _) => Task.FromResult(run(parse, console)));
}
