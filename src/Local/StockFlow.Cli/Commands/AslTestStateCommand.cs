using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Asl.Execution;
using StockFlow.Asl.Model;
using StockFlow.Asl.TestState;
using StockFlow.Cli.Hosting;
using StockFlow.Runtime.Local;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow asl test-state</c>: one state in isolation, like Step Functions' TestState API.</summary>
internal sealed class AslTestStateCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly Option<string> _state = new("--definition") { Description = "One state's definition: JSON, or @file.", Required = true };
    private readonly Option<string?> _input = new("--input") { Description = "The state's input: JSON, or @file (at most 256 KiB). Default {}." };
    private readonly Option<string?> _variables = new("--variables") { Description = "Workflow variables as a JSON object, or @file." };
    private readonly Option<string?> _mockResult = new("--mock-result") { Description = "For a Task: the result the resource returns (JSON), instead of calling it." };
    private readonly Option<string?> _mockError = new("--mock-error") { Description = "For a Task: fail the resource with this error name (with --mock-cause)." };
    private readonly Option<string?> _mockCause = new("--mock-cause") { Description = "The cause that goes with --mock-error." };
    private readonly Option<string?> _dataDir = new("--data-dir") { Description = "Bind tasks that are not mocked to this data directory's lake." };

    public static Command Create() => new AslTestStateCommand().Build();

    private Command Build()
    {
        var command = new Command("test-state", "Run one state in isolation, like Step Functions' TestState API, and print its result with the inspection data.")
        {
            _state, _input, _variables, _mockResult, _mockError, _mockCause, _dataDir,
        };
        CliAction.Set(command, ExecuteAsync);
        return command;
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CliConsole console, CancellationToken cancellationToken)
    {
        var stateJson = JsonInput.Read(parse.GetValue(_state)!, "--definition")?.ToJsonString() ?? "null";
        var inputNode = parse.GetValue(_input) is { } inputText ? JsonInput.Read(inputText, "--input") : new JsonObject();
        var variableValues = parse.GetValue(_variables) is { } v
            ? (JsonInput.Read(v, "--variables") as JsonObject ?? throw new CliUsageException("--variables must be a JSON object."))
                .ToDictionary(p => p.Key, p => p.Value?.DeepClone())
            : null;
        using var runner = AslRunner.Create(new AslRunnerOptions { DataDir = parse.GetValue(_dataDir) });
        ITaskInvoker invoker = runner.Invoker;
        if (parse.GetValue(_mockError) is { } error)
        {
            invoker = new FixedTaskInvoker(null, new StatesErrorException(error, parse.GetValue(_mockCause) ?? string.Empty));
        }
        else if (parse.GetValue(_mockResult) is { } result)
        {
            invoker = new FixedTaskInvoker(JsonInput.Read(result, "--mock-result"), null);
        }

        TestStateResult outcome;
        try
        {
            outcome = await StateTester.RunAsync(stateJson, inputNode, new ExecutionOptions { TaskInvoker = invoker, WaitScale = 0 }, variableValues, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (AslDefinitionException ex)
        {
            AslCommands.WriteEnvelope(console, new JsonObject { ["status"] = "FAILED", ["error"] = "States.InvalidDefinition", ["cause"] = ex.Message });
            return ExitCodes.Usage;
        }

        var json = new JsonObject
        {
            ["status"] = outcome.Status,
            ["output"] = outcome.Output?.ToJsonString(),
            ["error"] = outcome.Error,
            ["cause"] = outcome.Cause,
            ["nextState"] = outcome.NextState,
            ["inspectionData"] = new JsonObject
            {
                ["input"] = outcome.InspectionData.Input,
                ["afterInputPath"] = outcome.InspectionData.AfterInputPath,
                ["afterParameters"] = outcome.InspectionData.AfterParameters,
                ["result"] = outcome.InspectionData.Result,
                ["afterResultSelector"] = outcome.InspectionData.AfterResultSelector,
                ["afterResultPath"] = outcome.InspectionData.AfterResultPath,
            },
        };
        console.Out.WriteLine(json.ToJsonString(Indented));
        return outcome.Status == StateTester.Failed ? ExitCodes.Failure : ExitCodes.Success;
    }

    /// <summary>A resource that answers every call with one result or one error (TestState's mock).</summary>
    private sealed class FixedTaskInvoker(JsonNode? result, StatesErrorException? error) : ITaskInvoker
    {
        public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken) =>
            error is not null ? Task.FromException<JsonNode?>(error) : Task.FromResult(result?.DeepClone());
    }
}
