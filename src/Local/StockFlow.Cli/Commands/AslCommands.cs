using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Asl.Mocking;
using StockFlow.Cli.Hosting;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow asl run|validate|test-state|eval</c>: the ASL interpreter on any definition.</summary>
internal static class AslCommands
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static Command Create()
    {
        var command = new Command("asl", "Run, validate and test Amazon States Language definitions locally.");
        command.Subcommands.Add(AslRunCommand.Create());
        command.Subcommands.Add(AslValidateCommand.Create());
        command.Subcommands.Add(AslTestStateCommand.Create());
        command.Subcommands.Add(AslEvalCommand.Create());
        return command;
    }

    /// <summary>One JSON line on the command's output: the envelope scripts read.</summary>
    public static void WriteEnvelope(CliConsole console, JsonObject envelope) => console.Out.WriteLine(envelope.ToJsonString(Compact));

    /// <summary>Reads and checks a mock configuration file, naming it when it is missing or malformed.</summary>
    public static void CheckMockConfig(string path)
    {
        var text = InputFiles.ReadText(path, "The mock configuration (--mock-config)");
        try
        {
            MockConfiguration.Parse(text);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new CliException($"The mock configuration '{path}' is not valid: {e.Message} (Step Functions Local MockConfigFile.json format).", e);
        }
    }
}
