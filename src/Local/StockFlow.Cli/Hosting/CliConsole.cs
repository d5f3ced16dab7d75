using Spectre.Console;

namespace StockFlow.Cli.Hosting;

/// <summary>
/// The one output path of a command: the invocation's writers (the process's console, or a test's
/// <see cref="StringWriter"/> when the CLI runs in-process). Results go to <see cref="Out"/>; errors,
/// notes and progress that would spoil machine-readable output go to <see cref="Error"/>.
/// </summary>
internal sealed class CliConsole
{
    private IAnsiConsole? _ansi;

    public CliConsole(TextWriter output, TextWriter error)
    {
        Out = output;
        Error = error;
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>Spectre rendering (tables, markup) onto <see cref="Out"/>; colour only on a real terminal.</summary>
    public IAnsiConsole Ansi => _ansi ??= CreateAnsi(Out);

    /// <summary>The one-line error every failure ends in.</summary>
    public void WriteError(string message) => Error.WriteLine("error: " + message);

    /// <summary>A note on stderr (keeps stdout clean for csv/json).</summary>
    public void WriteNote(string message) => Error.WriteLine(message);

    private static IAnsiConsole CreateAnsi(TextWriter writer)
    {
        var terminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
        {
            // Redirected or in-process: wide enough that tables are not wrapped mid-value.
            console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 40 ? columns : 200;
        }

        return console;
    }
}
