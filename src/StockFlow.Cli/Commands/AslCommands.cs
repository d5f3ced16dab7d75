using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Asl.Validation;
using StockFlow.Runtime.Local;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow asl run|validate|test-state</c>: the ASL interpreter on any definition.</summary>
internal static class AslCommands
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("asl", "Run, validate and test Amazon States Language definitions locally.");
        command.Subcommands.Add(CreateRun());
        command.Subcommands.Add(CreateValidate());
        command.Subcommands.Add(CreateTestState());
        return command;
    }

    private static Command CreateRun()
    {
        var definition = new Argument<string>("definition") { Description = "Path to the ASL definition (JSON)." };
        var input = new Option<string?>("--input") { Description = "Execution input: JSON, or @file. Default {}." };
        var name = new Option<string?>("--name") { Description = "Execution name (default: generated)." };
        var waitScale = new Option<double>("--wait-scale") { Description = "0 fast-forwards Wait states and retry back-offs (default), 1 is real time.", DefaultValueFactory = _ => 0 };
        var mockConfig = new Option<string?>("--mock-config") { Description = "A Step Functions Local mock configuration file (MockConfigFile.json format)." };
        var testCase = new Option<string?>("--test-case") { Description = "The mock configuration's test case to run (needs --mock-config)." };
        var history = new Option<bool>("--history") { Description = "Include the execution's events in the envelope." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Record the execution in this data directory's history and bind tasks to its lake. Without it nothing is written." };
        var command = new Command("run", "Run a definition once and print one JSON envelope: {\"status\":\"SUCCEEDED\",\"output\":...} or {\"status\":\"FAILED\",\"error\":...,\"cause\":...}.")
        {
            definition, input, name, waitScale, mockConfig, testCase, history, dataDir,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(definition)!;
            var text = File.ReadAllText(path);
            var problems = AslValidator.Validate(text);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"{(problem.Pointer.Length == 0 ? "/" : problem.Pointer)}: {problem.Message}");
                }

                WriteEnvelope(parse, new JsonObject
                {
                    ["status"] = "FAILED",
                    ["error"] = "States.InvalidDefinition",
                    ["cause"] = $"The definition has {problems.Count} problem(s); the first: {problems[0].Pointer}: {problems[0].Message}",
                });
                return 2;
            }

            if (parse.GetValue(testCase) is not null && parse.GetValue(mockConfig) is null)
            {
                return RunCommand.Fail("--test-case needs --mock-config.");
            }

            var inputNode = parse.GetValue(input) is { } inputText ? JsonInput.Read(inputText) : new JsonObject();
            var stateMachineName = Path.GetFileNameWithoutExtension(Path.GetFileNameWithoutExtension(path));
            using var runner = AslRunner.Create(new AslRunnerOptions
            {
                DataDir = parse.GetValue(dataDir),
                StateMachineName = stateMachineName,
                WaitScale = parse.GetValue(waitScale),
                MockConfigPath = parse.GetValue(mockConfig),
                TestCase = parse.GetValue(testCase),
            });
            var run = await runner.RunAsync(text, inputNode, parse.GetValue(name), cancellationToken);
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
            if (parse.GetValue(history))
            {
                envelope["events"] = new JsonArray(run.Events.Select(e => (JsonNode?)e.ToAwsJson()).ToArray());
            }

            WriteEnvelope(parse, envelope);
            return run.Succeeded ? 0 : 1;
        });
        return command;
    }

    private static Command CreateValidate()
    {
        var definition = new Argument<string>("definition") { Description = "Path to the ASL definition (JSON)." };
        var json = new Option<bool>("--json") { Description = "Print the problems as a JSON array of {pointer, message}." };
        var command = new Command("validate", "Check a definition statically and list every problem with its JSON pointer.") { definition, json };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(definition)!;
            var problems = AslValidator.Validate(File.ReadAllText(path));
            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonArray(problems.Select(p => (JsonNode?)new JsonObject
                {
                    ["pointer"] = p.Pointer,
                    ["message"] = p.Message,
                }).ToArray()).ToJsonString(Indented));
            }
            else if (problems.Count == 0)
            {
                Console.WriteLine($"{path}: valid");
            }
            else
            {
                foreach (var problem in problems)
                {
                    Console.WriteLine($"{path}#{problem.Pointer}: {problem.Message}");
                }

                Console.WriteLine($"{problems.Count} problem(s)");
            }

            return problems.Count == 0 ? 0 : 1;
        });
        return command;
    }

    private static Command CreateTestState()
    {
        var state = new Option<string>("--definition") { Description = "One state's definition: JSON, or @file.", Required = true };
        var input = new Option<string?>("--input") { Description = "The state's input: JSON, or @file. Default {}." };
        var variables = new Option<string?>("--variables") { Description = "Workflow variables as a JSON object, or @file." };
        var mockResult = new Option<string?>("--mock-result") { Description = "For a Task: the result the resource returns (JSON), instead of calling it." };
        var mockError = new Option<string?>("--mock-error") { Description = "For a Task: fail the resource with this error name (with --mock-cause)." };
        var mockCause = new Option<string?>("--mock-cause") { Description = "The cause that goes with --mock-error." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Bind tasks that are not mocked to this data directory's lake." };
        var command = new Command("test-state", "Run one state in isolation, like Step Functions' TestState API, and print its result with the inspection data.")
        {
            state, input, variables, mockResult, mockError, mockCause, dataDir,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stateJson = JsonInput.Read(parse.GetValue(state)!)?.ToJsonString() ?? "null";
            var inputNode = parse.GetValue(input) is { } inputText ? JsonInput.Read(inputText) : new JsonObject();
            var variableValues = parse.GetValue(variables) is { } v
                ? (JsonInput.Read(v) as JsonObject ?? throw new ArgumentException("--variables must be a JSON object."))
                    .ToDictionary(p => p.Key, p => p.Value?.DeepClone())
                : null;
            using var runner = AslRunner.Create(new AslRunnerOptions { DataDir = parse.GetValue(dataDir) });
            ITaskInvoker invoker = runner.Invoker;
            if (parse.GetValue(mockError) is { } error)
            {
                invoker = new FixedTaskInvoker(null, new StatesErrorException(error, parse.GetValue(mockCause) ?? string.Empty));
            }
            else if (parse.GetValue(mockResult) is { } result)
            {
                invoker = new FixedTaskInvoker(JsonInput.Read(result), null);
            }

            TestStateResult outcome;
            try
            {
                outcome = await StateTester.RunAsync(stateJson, inputNode, new ExecutionOptions { TaskInvoker = invoker, WaitScale = 0 }, variableValues, cancellationToken: cancellationToken);
            }
            catch (AslDefinitionException ex)
            {
                WriteEnvelope(parse, new JsonObject { ["status"] = "FAILED", ["error"] = "States.InvalidDefinition", ["cause"] = ex.Message });
                return 2;
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
            Console.WriteLine(json.ToJsonString(Indented));
            return outcome.Status == StateTester.Failed ? 1 : 0;
        });
        return command;
    }

    /// <summary>One line on the invocation's output (the console, or a test's writer when run in-process).</summary>
    private static void WriteEnvelope(ParseResult parse, JsonObject envelope) => parse.InvocationConfiguration.Output.WriteLine(envelope.ToJsonString(Compact));

    /// <summary>A resource that answers every call with one result or one error (TestState's mock).</summary>
    private sealed class FixedTaskInvoker(JsonNode? result, StatesErrorException? error) : ITaskInvoker
    {
        public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken) =>
            error is not null ? Task.FromException<JsonNode?>(error) : Task.FromResult(result?.DeepClone());
    }
}
