using System.CommandLine;
using System.Text.Json.Nodes;
using StockFlow.Asl.Validation;
using StockFlow.Cli.Hosting;
using StockFlow.Runtime.Local;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow asl run</c>: run any definition once and print one JSON envelope.</summary>
internal sealed class AslRunCommand
{
    private readonly Argument<string> _definition = new("definition") { Description = "Path to the ASL definition (JSON)." };
    private readonly Option<string?> _input = new("--input") { Description = "Execution input: JSON, or @file (at most 256 KiB). Default {}." };
    private readonly Option<string?> _name = new("--name") { Description = "Execution name (default: generated)." };
    private readonly Option<double> _waitScale = CommonOptions.WaitScale();
    private readonly Option<string?> _mockConfig = new("--mock-config") { Description = "A Step Functions Local mock configuration file (MockConfigFile.json format)." };
    private readonly Option<string?> _testCase = new("--test-case") { Description = "The mock configuration's test case to run (needs --mock-config)." };
    private readonly Option<bool> _history = new("--history") { Description = "Include the execution's events in the envelope." };
    private readonly Option<string?> _dataDir = new("--data-dir") { Description = "Record the execution in this data directory's history and bind tasks to its lake. Without it nothing is written." };

    public static Command Create() => new AslRunCommand().Build();

    private Command Build()
    {
        var command = new Command("run", "Run a definition once and print one JSON envelope: {\"status\":\"SUCCEEDED\",\"output\":...} or {\"status\":\"FAILED\",\"error\":...,\"cause\":...}.")
        {
            _definition, _input, _name, _waitScale, _mockConfig, _testCase, _history, _dataDir,
        };
        CliAction.Set(command, ExecuteAsync);
        return command;
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CliConsole console, CancellationToken cancellationToken)
    {
        if (parse.GetValue(_testCase) is not null && parse.GetValue(_mockConfig) is null)
        {
            throw new CliUsageException("--test-case needs --mock-config.");
        }

        var path = parse.GetValue(_definition)!;
        var text = DefinitionFile.Read(path, "asl run");
        var problems = AslValidator.Validate(text);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                console.Error.WriteLine($"{(problem.Pointer.Length == 0 ? "/" : problem.Pointer)}: {problem.Message}");
            }

            AslCommands.WriteEnvelope(console, new JsonObject
            {
                ["status"] = "FAILED",
                ["error"] = "States.InvalidDefinition",
                ["cause"] = $"The definition has {problems.Count} problem(s); the first: {problems[0].Pointer}: {problems[0].Message}",
            });
            return ExitCodes.Usage;
        }

        var inputNode = parse.GetValue(_input) is { } inputText ? JsonInput.Read(inputText, "--input") : new JsonObject();
        if (parse.GetValue(_mockConfig) is { } mockConfig)
        {
            AslCommands.CheckMockConfig(mockConfig);
        }

        var stateMachineName = Path.GetFileNameWithoutExtension(Path.GetFileNameWithoutExtension(path));
        using var runner = AslRunner.Create(new AslRunnerOptions
        {
            DataDir = parse.GetValue(_dataDir),
            StateMachineName = stateMachineName,
            WaitScale = parse.GetValue(_waitScale),
            MockConfigPath = parse.GetValue(_mockConfig),
            TestCase = parse.GetValue(_testCase),
        });
        var run = await runner.RunAsync(text, inputNode, parse.GetValue(_name), cancellationToken).ConfigureAwait(false);
        var envelope = new JsonObject { ["status"] = run.Status };
        if (run.Succeeded)
        {
            envelope["output"] = run.Output?.DeepClone();
        }
        else
        {
            // AWS's DescribeExecution leaves out an error or cause the execution did not have (a bare Fail state).
            if (run.Error is not null) envelope["error"] = run.Error;
            if (run.Cause is not null) envelope["cause"] = run.Cause;
        }

        if (parse.GetValue(_history))
        {
            envelope["events"] = new JsonArray(run.Events.Select(e => (JsonNode?)e.ToAwsJson()).ToArray());
        }

        AslCommands.WriteEnvelope(console, envelope);
        return run.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
    }
}
