using System.Globalization;
using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Asl.Execution;
using StockFlow.Asl.Model;
using StockFlow.Asl.TestState;
using StockFlow.Asl.Validation;
using StockFlow.ControlPlane.Executions;
using StockFlow.ControlPlane.StateMachines;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.ControlPlane.Api;

/// <summary>
/// The Step Functions operations over the local runtime, request and response in AWS's JSON shapes
/// (the transport, AWS JSON 1.0, is in <see cref="StepFunctionsEndpoint"/>).
/// </summary>
internal sealed class StepFunctionsApi(StateMachineRegistry machines, ExecutionLauncher launcher, MapRunApi mapRuns)
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    private ExecutionStore Store => launcher.Store;

    public static IReadOnlyList<string> Operations { get; } =
    [
        "CreateStateMachine", "UpdateStateMachine", "DescribeStateMachine", "ListStateMachines", "DeleteStateMachine",
        "ValidateStateMachineDefinition", "StartExecution", "DescribeExecution", "ListExecutions", "GetExecutionHistory",
        "StopExecution", "RedriveExecution", "ListMapRuns", "DescribeMapRun", "TestState",
    ];

    public Task<JsonObject> InvokeAsync(string operation, JsonObject request, CancellationToken cancellationToken) => operation switch
    {
        "CreateStateMachine" => Task.FromResult(CreateStateMachine(request)),
        "UpdateStateMachine" => Task.FromResult(UpdateStateMachine(request)),
        "DescribeStateMachine" => Task.FromResult(DescribeStateMachine(request)),
        "ListStateMachines" => Task.FromResult(ListStateMachines(request)),
        "DeleteStateMachine" => Task.FromResult(DeleteStateMachine(request)),
        "ValidateStateMachineDefinition" => Task.FromResult(ValidateStateMachineDefinition(request)),
        "StartExecution" => StartExecutionAsync(request, cancellationToken),
        "DescribeExecution" => Task.FromResult(DescribeExecution(request)),
        "ListExecutions" => Task.FromResult(ListExecutions(request)),
        "GetExecutionHistory" => Task.FromResult(GetExecutionHistory(request)),
        "StopExecution" => StopExecutionAsync(request),
        "RedriveExecution" => RedriveExecutionAsync(request, cancellationToken),
        "ListMapRuns" => Task.FromResult(mapRuns.ListMapRuns(request)),
        "DescribeMapRun" => Task.FromResult(mapRuns.DescribeMapRun(request)),
        "TestState" => TestStateAsync(request, cancellationToken),
        _ => throw new StepFunctionsApiException("UnknownOperationException", $"Operation '{operation}' is not supported by the local Step Functions API."),
    };

    private JsonObject CreateStateMachine(JsonObject request)
    {
        var machine = machines.Create(
            AwsJson.String(request, "name", required: true)!,
            AwsJson.String(request, "definition", required: true)!,
            AwsJson.String(request, "roleArn"),
            AwsJson.String(request, "type"));
        return new JsonObject { ["stateMachineArn"] = machine.Arn, ["creationDate"] = AwsJson.Timestamp(machine.CreationDate) };
    }

    private JsonObject UpdateStateMachine(JsonObject request)
    {
        var machine = machines.Update(
            AwsJson.String(request, "stateMachineArn", required: true)!,
            AwsJson.String(request, "definition"),
            AwsJson.String(request, "roleArn"));
        return new JsonObject { ["updateDate"] = AwsJson.Timestamp(machine.UpdateDate), ["revisionId"] = machine.RevisionId };
    }

    private JsonObject DescribeStateMachine(JsonObject request)
    {
        var machine = machines.Get(AwsJson.String(request, "stateMachineArn", required: true)!);
        return new JsonObject
        {
            ["stateMachineArn"] = machine.Arn,
            ["name"] = machine.Name,
            ["status"] = "ACTIVE",
            ["definition"] = machine.Definition,
            ["roleArn"] = machine.RoleArn,
            ["type"] = machine.Type,
            ["creationDate"] = AwsJson.Timestamp(machine.CreationDate),
            ["loggingConfiguration"] = new JsonObject { ["level"] = "OFF", ["includeExecutionData"] = false },
            ["tracingConfiguration"] = new JsonObject { ["enabled"] = false },
            ["revisionId"] = machine.RevisionId,
        };
    }

    private JsonObject ListStateMachines(JsonObject request)
    {
        var size = AwsJson.Int(request, "maxResults", DefaultPageSize, 0, MaxPageSize);
        var all = machines.List();
        var start = AwsJson.String(request, "nextToken") is { } token
            ? int.Parse(AwsJson.DecodeToken(token, "ListStateMachines"), CultureInfo.InvariantCulture)
            : 0;
        var page = all.Skip(start).Take(size).Select(m => (JsonNode)new JsonObject
        {
            ["stateMachineArn"] = m.Arn,
            ["name"] = m.Name,
            ["type"] = m.Type,
            ["creationDate"] = AwsJson.Timestamp(m.CreationDate),
        }).ToArray();
        var response = new JsonObject { ["stateMachines"] = new JsonArray(page) };
        if (start + size < all.Count)
        {
            response["nextToken"] = AwsJson.EncodeToken("ListStateMachines", AwsJson.Format(start + size));
        }

        return response;
    }

    private JsonObject DeleteStateMachine(JsonObject request)
    {
        machines.Delete(AwsJson.String(request, "stateMachineArn", required: true)!);
        return [];
    }

    private static JsonObject ValidateStateMachineDefinition(JsonObject request)
    {
        var definition = AwsJson.String(request, "definition", required: true)!;
        var maxResults = AwsJson.Int(request, "maxResults", 100, 0, 100);
        var problems = AslValidator.Validate(definition);
        var diagnostics = problems.Take(maxResults).Select(p => (JsonNode)new JsonObject
        {
            ["severity"] = "ERROR",
            ["code"] = "SCHEMA_VALIDATION_FAILED",
            ["message"] = p.Message,
            ["location"] = p.Pointer.Length == 0 ? "/" : p.Pointer,
        }).ToArray();
        return new JsonObject
        {
            ["result"] = problems.Count == 0 ? "OK" : "FAIL",
            ["diagnostics"] = new JsonArray(diagnostics),
            ["truncated"] = problems.Count > maxResults,
        };
    }

    private async Task<JsonObject> StartExecutionAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var machine = machines.Get(AwsJson.String(request, "stateMachineArn", required: true)!);
        var started = await launcher.StartAsync(machine, AwsJson.String(request, "name"), AwsJson.String(request, "input"), cancellationToken);
        return new JsonObject { ["executionArn"] = started.ExecutionArn, ["startDate"] = AwsJson.Timestamp(started.StartDate) };
    }

    private JsonObject DescribeExecution(JsonObject request)
    {
        var execution = FindExecution(AwsJson.String(request, "executionArn", required: true)!);
        var summary = execution.Summary;
        var response = new JsonObject
        {
            ["executionArn"] = summary.ExecutionArn,
            ["stateMachineArn"] = summary.StateMachine,
            ["name"] = summary.Name,
            ["status"] = summary.Status,
            ["startDate"] = AwsJson.Timestamp(summary.StartDate),
            ["input"] = execution.Input ?? "{}",
            ["inputDetails"] = new JsonObject { ["included"] = true },
            ["redriveCount"] = summary.RedriveCount,
        };
        if (summary.StopDate is { } stop)
        {
            response["stopDate"] = AwsJson.Timestamp(stop);
        }

        if (summary.RedriveCount > 0 && Store.LastEventTime(summary.ExecutionArn, "ExecutionRedriven") is { } redriven)
        {
            response["redriveDate"] = AwsJson.Timestamp(redriven);
        }

        if (summary.Status == "SUCCEEDED")
        {
            response["output"] = execution.Output ?? "null";
            response["outputDetails"] = new JsonObject { ["included"] = true };
        }

        // A running execution's stop request keeps its error and cause until it has ended.
        if (summary.Error is not null && summary.Status != "RUNNING")
        {
            response["error"] = summary.Error;
        }

        if (summary.Cause is not null && summary.Status != "RUNNING")
        {
            response["cause"] = summary.Cause;
        }

        var redrivable = summary.Status is "FAILED" or "TIMED_OUT" or "ABORTED";
        response["redriveStatus"] = redrivable ? "REDRIVABLE" : "NOT_REDRIVABLE";
        if (!redrivable)
        {
            response["redriveStatusReason"] = $"Execution is {summary.Status} and cannot be redriven";
        }

        return response;
    }

    private JsonObject ListExecutions(JsonObject request)
    {
        var machineArn = AwsJson.String(request, "stateMachineArn");
        if (AwsJson.String(request, "mapRunArn") is { } mapRunArn)
        {
            return mapRuns.ListChildExecutions(mapRunArn, request);
        }

        if (machineArn is null)
        {
            throw StepFunctionsApiException.Validation("Must provide a StateMachine ARN or MapRun ARN");
        }

        var machine = machines.Get(machineArn);
        var status = AwsJson.String(request, "statusFilter");
        if (status is not null and not ("RUNNING" or "SUCCEEDED" or "FAILED" or "TIMED_OUT" or "ABORTED" or "PENDING_REDRIVE"))
        {
            throw StepFunctionsApiException.Validation(
                $"1 validation error detected: Value '{status}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]");
        }

        var redriveFilter = AwsJson.String(request, "redriveFilter") switch
        {
            null => (bool?)null,
            "REDRIVEN" => true,
            "NOT_REDRIVEN" => false,
            var other => throw StepFunctionsApiException.Validation($"Value '{other}' at 'redriveFilter' failed to satisfy constraint: Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]"),
        };
        var size = AwsJson.Int(request, "maxResults", DefaultPageSize, 0, MaxPageSize);
        var scope = "ListExecutions:" + machine.Arn + ":" + status + ":" + redriveFilter;
        ExecutionCursor? after = null;
        if (AwsJson.String(request, "nextToken") is { } token)
        {
            var position = AwsJson.DecodeToken(token, scope);
            var bar = position.LastIndexOf('|');
            after = new ExecutionCursor(position[..bar], long.Parse(position[(bar + 1)..], CultureInfo.InvariantCulture));
        }

        // PENDING_REDRIVE is the moment between RedriveExecution and the run: it is RUNNING here at once.
        var page = status == "PENDING_REDRIVE"
            ? new ExecutionPage([], null)
            : Store.ListPage(new ExecutionQuery(machine.Arn, status, null, redriveFilter, after, size));
        var response = new JsonObject { ["executions"] = new JsonArray(page.Items.Select(e => (JsonNode)ExecutionListItem(e)).ToArray()) };
        if (page.Next is { } next)
        {
            response["nextToken"] = AwsJson.EncodeToken(scope, next.StartDate + "|" + AwsJson.Format(next.RowId));
        }

        return response;
    }

    public static JsonObject ExecutionListItem(ExecutionSummary e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var item = new JsonObject
        {
            ["executionArn"] = e.ExecutionArn,
            ["stateMachineArn"] = e.StateMachine,
            ["name"] = e.Name,
            ["status"] = e.Status,
            ["startDate"] = AwsJson.Timestamp(e.StartDate),
            ["redriveCount"] = e.RedriveCount,
        };
        if (e.StopDate is { } stop)
        {
            item["stopDate"] = AwsJson.Timestamp(stop);
        }

        return item;
    }

    private JsonObject GetExecutionHistory(JsonObject request)
    {
        var execution = FindExecution(AwsJson.String(request, "executionArn", required: true)!);
        var arn = execution.Summary.ExecutionArn;
        var size = AwsJson.Int(request, "maxResults", DefaultPageSize, 0, MaxPageSize);
        var reverse = AwsJson.Bool(request, "reverseOrder", false);
        var includeData = AwsJson.Bool(request, "includeExecutionData", true);
        var scope = "GetExecutionHistory:" + arn + ":" + reverse;
        var afterId = AwsJson.String(request, "nextToken") is { } token
            ? long.Parse(AwsJson.DecodeToken(token, scope), CultureInfo.InvariantCulture)
            : 0;
        var events = Store.GetEventsPage(arn, afterId, size + 1, reverse);
        var page = events.Take(size).ToList();
        var response = new JsonObject { ["events"] = new JsonArray(page.Select(e => (JsonNode)HistoryEventJson(e, includeData)).ToArray()) };
        if (events.Count > size)
        {
            response["nextToken"] = AwsJson.EncodeToken(scope, AwsJson.Format(page[^1].Id));
        }

        return response;
    }

    /// <summary>One event as GetExecutionHistory returns it; without execution data, inputs and outputs are left out.</summary>
    public static JsonObject HistoryEventJson(StoredEvent e, bool includeData)
    {
        ArgumentNullException.ThrowIfNull(e);
        var json = new JsonObject
        {
            ["timestamp"] = AwsJson.Timestamp(e.Timestamp),
            ["type"] = e.Type,
            ["id"] = e.Id,
            ["previousEventId"] = e.PreviousEventId,
        };
        if (JsonNode.Parse(e.DetailsJson) is JsonObject details)
        {
            foreach (var (key, value) in details.ToList())
            {
                details.Remove(key);
                if (!includeData && value is JsonObject body)
                {
                    foreach (var field in new[] { "input", "output", "parameters" })
                    {
                        body.Remove(field);
                    }
                }

                json[key] = value;
            }
        }

        return json;
    }

    private async Task<JsonObject> StopExecutionAsync(JsonObject request)
    {
        var execution = FindExecution(AwsJson.String(request, "executionArn", required: true)!);
        if (execution.Summary.Status != "RUNNING")
        {
            throw new StepFunctionsApiException("ValidationException", $"Execution is not running: '{execution.Summary.ExecutionArn}' is {execution.Summary.Status}");
        }

        await launcher.StopAsync(execution.Summary.ExecutionArn, AwsJson.String(request, "error"), AwsJson.String(request, "cause"));
        var stopped = Store.FindByArn(execution.Summary.ExecutionArn)?.Summary.StopDate ?? DateTimeOffset.UtcNow;
        return new JsonObject { ["stopDate"] = AwsJson.Timestamp(stopped) };
    }

    private async Task<JsonObject> RedriveExecutionAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var execution = FindExecution(AwsJson.String(request, "executionArn", required: true)!);
        var redriveDate = await launcher.RedriveAsync(execution, cancellationToken);
        return new JsonObject { ["redriveDate"] = AwsJson.Timestamp(redriveDate) };
    }

    private async Task<JsonObject> TestStateAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var definition = AwsJson.String(request, "definition", required: true)!;
        var input = AwsJson.String(request, "input") ?? "{}";
        JsonNode? inputNode;
        try
        {
            inputNode = JsonNode.Parse(input);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new StepFunctionsApiException("InvalidExecutionInput", $"Invalid input: {ex.Message}");
        }

        Dictionary<string, JsonNode?>? variables = null;
        if (AwsJson.String(request, "variables") is { } variablesText)
        {
            variables = (JsonNode.Parse(variablesText) as JsonObject ?? throw StepFunctionsApiException.Validation("'variables' must be a JSON object."))
                .ToDictionary(p => p.Key, p => p.Value?.DeepClone());
        }

        TestStateResult result;
        try
        {
            result = await StateTester.RunAsync(definition, inputNode, new ExecutionOptions { TaskInvoker = launcher.Invoker, WaitScale = 0 }, variables, cancellationToken: cancellationToken);
        }
        catch (AslDefinitionException ex)
        {
            throw new StepFunctionsApiException("InvalidDefinition", $"Invalid State Machine Definition: '{ex.Message}'");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new StepFunctionsApiException("InvalidDefinition", $"Invalid State Machine Definition: '{ex.Message}'");
        }

        var response = new JsonObject { ["status"] = result.Status };
        if (result.Output is not null || result.Status == StateTester.Succeeded || result.Status == StateTester.CaughtError)
        {
            response["output"] = result.Output?.ToJsonString() ?? "null";
        }

        if (result.Error is not null)
        {
            response["error"] = result.Error;
        }

        if (result.Cause is not null)
        {
            response["cause"] = result.Cause;
        }

        if (result.NextState is not null)
        {
            response["nextState"] = result.NextState;
        }

        if (AwsJson.String(request, "inspectionLevel") is not "TRACE" and not "DEBUG" and not "INFO" and not null)
        {
            throw StepFunctionsApiException.Validation("inspectionLevel must be INFO, DEBUG or TRACE.");
        }

        var inspection = new JsonObject();
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                inspection[key] = value;
            }
        }

        var data = result.InspectionData;
        Add("input", data.Input);
        Add("afterInputPath", data.AfterInputPath);
        Add("afterParameters", data.AfterParameters);
        Add("result", data.Result);
        Add("afterResultSelector", data.AfterResultSelector);
        Add("afterResultPath", data.AfterResultPath);
        response["inspectionData"] = inspection;
        return response;
    }

    private ExecutionDetails FindExecution(string arn)
    {
        ResourceArns.RequireExecutionArn(arn);
        return Store.FindByArn(arn) ?? throw StepFunctionsApiException.ExecutionDoesNotExist(arn);
    }
}
