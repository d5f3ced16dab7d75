using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Asl.Validation;
using StockFlow.Cli.Hosting;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow asl validate</c>: every static problem of a definition with its JSON pointer.</summary>
internal sealed class AslValidateCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly Argument<string> _definition = new("definition") { Description = "Path to the ASL definition (JSON)." };
    private readonly Option<bool> _json = new("--json") { Description = "Print the problems as a JSON array of {pointer, message}." };

    public static Command Create() => new AslValidateCommand().Build();

    private Command Build()
    {
        var command = new Command("validate", "Check a definition statically and list every problem with its JSON pointer.") { _definition, _json };
        CliAction.Set(command, Execute);
        return command;
    }

    private int Execute(ParseResult parse, CliConsole console)
    {
        var path = parse.GetValue(_definition)!;
        // A file that is not JSON is a problem the validator reports with its position, like any other.
        var problems = AslValidator.Validate(InputFiles.ReadText(path, "The definition file"));
        if (parse.GetValue(_json))
        {
            console.Out.WriteLine(new JsonArray(problems.Select(p => (JsonNode?)new JsonObject
            {
                ["pointer"] = p.Pointer,
                ["message"] = p.Message,
            }).ToArray()).ToJsonString(Indented));
        }
        else if (problems.Count == 0)
        {
            console.Out.WriteLine($"{path}: valid");
        }
        else
        {
            foreach (var problem in problems)
            {
                console.Out.WriteLine($"{path}#{problem.Pointer}: {problem.Message}");
            }

            console.Out.WriteLine($"{problems.Count} problem(s)");
        }

        return problems.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
