using System.Net;
using System.Text.Json.Nodes;

namespace StockFlow.ControlPlane.Tests;

/// <summary>The Step Functions API over real HTTP, with requests shaped like the AWS CLI's.</summary>
public sealed class StepFunctionsApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string PassDefinition = """
        {"StartAt":"Greet","States":{
          "Greet":{"Type":"Pass","Parameters":{"greeting.$":"States.Format('hello {}', $.who)"},"Next":"Done"},
          "Done":{"Type":"Succeed"}}}
        """;

    private const string WaitDefinition = """
        {"StartAt":"Hold","States":{
          "Hold":{"Type":"Wait","Seconds":2,"Next":"After"},
          "After":{"Type":"Pass","Result":{"resumed":true},"End":true}}}
        """;

    [Fact]
    public async Task The_pipeline_state_machine_exists_from_the_start()
    {
        var listed = await server.OkAsync("ListStateMachines", []);
        Assert.Contains(listed["stateMachines"]!.AsArray(), m => m!["name"]!.GetValue<string>() == "stockflow-pipeline");
        var described = await server.OkAsync("DescribeStateMachine", new JsonObject
        {
            ["stateMachineArn"] = "arn:aws:states:us-east-1:000000000000:stateMachine:stockflow-pipeline",
        });
        Assert.Equal("ACTIVE", described["status"]!.GetValue<string>());
        Assert.Equal("STANDARD", described["type"]!.GetValue<string>());
        Assert.Contains("IngestSymbols", described["definition"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.IsType<double>(described["creationDate"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_state_machine_is_created_described_updated_listed_and_deleted()
    {
        var arn = await server.CreateMachineAsync("lifecycle", PassDefinition);
        Assert.Equal("arn:aws:states:us-east-1:000000000000:stateMachine:lifecycle", arn);

        // The same name and definition again is the same state machine; another definition is a conflict.
        Assert.Equal(arn, await server.CreateMachineAsync("lifecycle", PassDefinition));
        var (status, conflict) = await server.CallAsync("CreateStateMachine", new JsonObject { ["name"] = "lifecycle", ["definition"] = WaitDefinition, ["roleArn"] = "r" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("StateMachineAlreadyExists", conflict["__type"]!.GetValue<string>());

        var updated = await server.OkAsync("UpdateStateMachine", new JsonObject { ["stateMachineArn"] = arn, ["definition"] = WaitDefinition });
        Assert.NotNull(updated["updateDate"]);
        var described = await server.OkAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = arn });
        Assert.Equal(WaitDefinition, described["definition"]!.GetValue<string>());
        Assert.Equal("arn:aws:iam::000000000000:role/test", described["roleArn"]!.GetValue<string>());

        var listed = await server.OkAsync("ListStateMachines", new JsonObject { ["maxResults"] = 1 });
        Assert.Single(listed["stateMachines"]!.AsArray());
        var next = await server.OkAsync("ListStateMachines", new JsonObject { ["maxResults"] = 1000, ["nextToken"] = listed["nextToken"]!.GetValue<string>() });
        Assert.NotEmpty(next["stateMachines"]!.AsArray());

        Assert.Empty(await server.OkAsync("DeleteStateMachine", new JsonObject { ["stateMachineArn"] = arn }));
        var (gone, error) = await server.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = arn });
        Assert.Equal(HttpStatusCode.BadRequest, gone);
        Assert.Equal("StateMachineDoesNotExist", error["__type"]!.GetValue<string>());
        Assert.Contains(arn, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_definition_is_refused_with_every_problem()
    {
        const string broken = """{"StartAt":"Missing","States":{"A":{"Type":"Pass","Next":"Nowhere"}}}""";
        var (status, error) = await server.CallAsync("CreateStateMachine", new JsonObject { ["name"] = "broken", ["definition"] = broken, ["roleArn"] = "r" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidDefinition", error["__type"]!.GetValue<string>());

        var validated = await server.OkAsync("ValidateStateMachineDefinition", new JsonObject { ["definition"] = broken });
        Assert.Equal("FAIL", validated["result"]!.GetValue<string>());
        var diagnostics = validated["diagnostics"]!.AsArray();
        Assert.True(diagnostics.Count >= 2);
        Assert.All(diagnostics, d => Assert.Equal("ERROR", d!["severity"]!.GetValue<string>()));
        Assert.False(validated["truncated"]!.GetValue<bool>());

        var ok = await server.OkAsync("ValidateStateMachineDefinition", new JsonObject { ["definition"] = PassDefinition });
        Assert.Equal("OK", ok["result"]!.GetValue<string>());
        Assert.Empty(ok["diagnostics"]!.AsArray());
    }

    [Fact]
    public async Task An_execution_runs_and_its_history_pages_forwards_and_backwards()
    {
        var machine = await server.CreateMachineAsync("greeter", PassDefinition);
        var started = await server.OkAsync("StartExecution", new JsonObject
        {
            ["stateMachineArn"] = machine,
            ["name"] = "greet-1",
            ["input"] = """{"who":"world"}""",
        });
        var arn = started["executionArn"]!.GetValue<string>();
        Assert.Equal("arn:aws:states:us-east-1:000000000000:execution:greeter:greet-1", arn);
        Assert.NotNull(started["startDate"]);

        var described = await server.WaitForEndAsync(arn);
        Assert.Equal("SUCCEEDED", described["status"]!.GetValue<string>());
        Assert.Equal("hello world", JsonNode.Parse(described["output"]!.GetValue<string>())!["greeting"]!.GetValue<string>());
        Assert.Equal(machine, described["stateMachineArn"]!.GetValue<string>());
        Assert.Equal("NOT_REDRIVABLE", described["redriveStatus"]!.GetValue<string>());
        Assert.True(described["stopDate"]!.GetValue<double>() >= described["startDate"]!.GetValue<double>());

        var all = (await server.OkAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn }))["events"]!.AsArray();
        Assert.Equal("ExecutionStarted", all[0]!["type"]!.GetValue<string>());
        Assert.Equal("ExecutionSucceeded", all[^1]!["type"]!.GetValue<string>());
        Assert.NotNull(all[0]!["executionStartedEventDetails"]);

        var paged = new List<long>();
        string? token = null;
        do
        {
            var request = new JsonObject { ["executionArn"] = arn, ["maxResults"] = 2 };
            if (token is not null)
            {
                request["nextToken"] = token;
            }

            var page = await server.OkAsync("GetExecutionHistory", request);
            Assert.True(page["events"]!.AsArray().Count <= 2);
            paged.AddRange(page["events"]!.AsArray().Select(e => e!["id"]!.GetValue<long>()));
            token = page["nextToken"]?.GetValue<string>();
        }
        while (token is not null);
        Assert.Equal(all.Select(e => e!["id"]!.GetValue<long>()), paged);

        var reversed = await server.OkAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn, ["reverseOrder"] = true, ["maxResults"] = 3 });
        Assert.Equal(paged.AsEnumerable().Reverse().Take(3), reversed["events"]!.AsArray().Select(e => e!["id"]!.GetValue<long>()));
        var rest = await server.OkAsync("GetExecutionHistory", new JsonObject
        {
            ["executionArn"] = arn, ["reverseOrder"] = true, ["maxResults"] = 1000, ["nextToken"] = reversed["nextToken"]!.GetValue<string>(),
        });
        Assert.Equal(paged.AsEnumerable().Reverse().Skip(3), rest["events"]!.AsArray().Select(e => e!["id"]!.GetValue<long>()));

        // A token is bound to its listing: the forward token does not page the reversed history.
        var (bad, error) = await server.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn, ["nextToken"] = reversed["nextToken"]!.GetValue<string>() });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("InvalidToken", error["__type"]!.GetValue<string>());

        var withoutData = await server.OkAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn, ["includeExecutionData"] = false });
        Assert.Null(withoutData["events"]![0]!["executionStartedEventDetails"]!["input"]);
    }

    [Fact]
    public async Task Executions_are_listed_newest_first_in_pages_and_filtered_by_status()
    {
        var machine = await server.CreateMachineAsync("lister", PassDefinition);
        var arns = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var started = await server.OkAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["input"] = """{"who":"x"}""" });
            arns.Add(started["executionArn"]!.GetValue<string>());
            await server.WaitForEndAsync(arns[^1]);
        }

        var listed = new List<string>();
        string? token = null;
        do
        {
            var request = new JsonObject { ["stateMachineArn"] = machine, ["maxResults"] = 2 };
            if (token is not null)
            {
                request["nextToken"] = token;
            }

            var page = await server.OkAsync("ListExecutions", request);
            var items = page["executions"]!.AsArray();
            Assert.All(items, e => Assert.Equal(machine, e!["stateMachineArn"]!.GetValue<string>()));
            listed.AddRange(items.Select(e => e!["executionArn"]!.GetValue<string>()));
            token = page["nextToken"]?.GetValue<string>();
        }
        while (token is not null);
        Assert.Equal(arns.AsEnumerable().Reverse(), listed);

        var failed = await server.OkAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine, ["statusFilter"] = "FAILED" });
        Assert.Empty(failed["executions"]!.AsArray());
        var (status, error) = await server.CallAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine, ["statusFilter"] = "DONE" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ValidationException", error["__type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_stopped_execution_is_aborted_and_a_redrive_finishes_it()
    {
        var machine = await server.CreateMachineAsync("waiter", WaitDefinition);
        var arn = (await server.OkAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = "wait-1" }))["executionArn"]!.GetValue<string>();
        var stopped = await server.OkAsync("StopExecution", new JsonObject { ["executionArn"] = arn, ["error"] = "Operator", ["cause"] = "test" });
        Assert.NotNull(stopped["stopDate"]);
        var aborted = await server.WaitForEndAsync(arn);
        Assert.Equal("ABORTED", aborted["status"]!.GetValue<string>());
        Assert.Equal("Operator", aborted["error"]!.GetValue<string>());
        Assert.Equal("test", aborted["cause"]!.GetValue<string>());
        Assert.Equal("REDRIVABLE", aborted["redriveStatus"]!.GetValue<string>());

        var redriven = await server.OkAsync("RedriveExecution", new JsonObject { ["executionArn"] = arn });
        Assert.NotNull(redriven["redriveDate"]);
        var finished = await server.WaitForEndAsync(arn);
        Assert.Equal("SUCCEEDED", finished["status"]!.GetValue<string>());
        Assert.Equal(1, finished["redriveCount"]!.GetValue<int>());
        var events = (await server.OkAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = arn, ["maxResults"] = 1000 }))["events"]!.AsArray();
        // StopExecution's error and cause are in the ExecutionAborted event too, as on AWS (the AWS drive found them missing).
        var abortedEvent = Assert.Single(events, e => e!["type"]!.GetValue<string>() == "ExecutionAborted")!["executionAbortedEventDetails"]!;
        Assert.Equal("Operator", abortedEvent["error"]!.GetValue<string>());
        Assert.Equal("test", abortedEvent["cause"]!.GetValue<string>());
        // The execution runs under the role the machine was created with, as its ExecutionStarted event says.
        Assert.Equal("arn:aws:iam::000000000000:role/test", events[0]!["executionStartedEventDetails"]!["roleArn"]!.GetValue<string>());
        var redrivenEvent = Assert.Single(events, e => e!["type"]!.GetValue<string>() == "ExecutionRedriven")!;
        // DescribeExecution of a redriven execution says when it was redriven (redriveDate), as AWS's does.
        Assert.Equal(redrivenEvent["timestamp"]!.GetValue<double>(), finished["redriveDate"]!.GetValue<double>());

        var (status, error) = await server.CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = arn });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ExecutionNotRedrivable", error["__type"]!.GetValue<string>());
        Assert.Empty((await server.OkAsync("ListMapRuns", new JsonObject { ["executionArn"] = arn }))["mapRuns"]!.AsArray());
        var redriven1 = await server.OkAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = machine, ["redriveFilter"] = "REDRIVEN" });
        Assert.Single(redriven1["executions"]!.AsArray());
    }

    [Fact]
    public async Task Execution_names_are_unique_and_a_repeated_start_of_a_running_one_is_idempotent()
    {
        var machine = await server.CreateMachineAsync("named", WaitDefinition);
        var first = await server.OkAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = "once", ["input"] = "{}" });
        var again = await server.OkAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = "once", ["input"] = "{}" });
        Assert.Equal(first["executionArn"]!.GetValue<string>(), again["executionArn"]!.GetValue<string>());
        var (status, error) = await server.CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = "once", ["input"] = """{"other":1}""" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ExecutionAlreadyExists", error["__type"]!.GetValue<string>());
        await server.OkAsync("StopExecution", new JsonObject { ["executionArn"] = first["executionArn"]!.GetValue<string>() });
    }

    [Theory]
    [InlineData("DescribeExecution", """{"executionArn":"arn:aws:states:us-east-1:000000000000:execution:none:nothing"}""", "ExecutionDoesNotExist")]
    [InlineData("DescribeExecution", """{"executionArn":"not-an-arn"}""", "InvalidArn")]
    [InlineData("DescribeExecution", "{}", "ValidationException")]
    [InlineData("StartExecution", """{"stateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:absent"}""", "StateMachineDoesNotExist")]
    [InlineData("StartExecution", """{"stateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:stockflow-pipeline","input":"{not json"}""", "InvalidExecutionInput")]
    [InlineData("StartExecution", """{"stateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:stockflow-pipeline","name":"bad name!"}""", "InvalidName")]
    [InlineData("ListExecutions", "{}", "ValidationException")]
    [InlineData("SendTaskSuccess", "{}", "UnknownOperationException")]
    [InlineData("DescribeMapRun", """{"mapRunArn":"arn:aws:states:us-east-1:000000000000:mapRun:stockflow-pipeline/IngestSymbols:0000"}""", "ResourceNotFound")]
    [InlineData("DescribeMapRun", """{"mapRunArn":"not-an-arn"}""", "InvalidArn")]
    [InlineData("ListMapRuns", """{"executionArn":"arn:aws:states:us-east-1:000000000000:execution:none:nothing"}""", "ExecutionDoesNotExist")]
    [InlineData("ListExecutions", """{"mapRunArn":"arn:aws:states:us-east-1:000000000000:mapRun:stockflow-pipeline/IngestSymbols:0000"}""", "ResourceNotFound")]
    [InlineData("DeleteStateMachine", """{"stateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:stockflow-pipeline"}""", "ValidationException")]
    public async Task Bad_requests_get_AWS_error_shapes(string operation, string body, string errorType)
    {
        var (status, error) = await server.CallAsync(operation, JsonNode.Parse(body)!.AsObject());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(errorType, error["__type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_serialization_error()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("{oops") };
        message.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSStepFunctions.ListStateMachines");
        using var response = await server.Http.SendAsync(message);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("SerializationException", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["__type"]!.GetValue<string>());
    }

    [Fact]
    public async Task TestState_runs_one_state_with_inspection_data()
    {
        var result = await server.OkAsync("TestState", new JsonObject
        {
            ["definition"] = """{"Type":"Pass","InputPath":"$.a","Parameters":{"sum.$":"States.MathAdd($.x, 1)"},"ResultPath":"$.r","Next":"Later"}""",
            ["roleArn"] = "arn:aws:iam::000000000000:role/test",
            ["input"] = """{"a":{"x":41}}""",
            ["inspectionLevel"] = "DEBUG",
        });
        Assert.Equal("SUCCEEDED", result["status"]!.GetValue<string>());
        Assert.Equal("Later", result["nextState"]!.GetValue<string>());
        Assert.Equal(42, JsonNode.Parse(result["output"]!.GetValue<string>())!["r"]!["sum"]!.GetValue<int>());
        Assert.Equal("""{"x":41}""", result["inspectionData"]!["afterInputPath"]!.GetValue<string>());

        var failed = await server.OkAsync("TestState", new JsonObject { ["definition"] = """{"Type":"Fail","Error":"Boom","Cause":"because"}""", ["roleArn"] = "r" });
        Assert.Equal("FAILED", failed["status"]!.GetValue<string>());
        Assert.Equal("Boom", failed["error"]!.GetValue<string>());

        var (status, error) = await server.CallAsync("TestState", new JsonObject { ["definition"] = """{"Type":"Nope"}""", ["roleArn"] = "r" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidDefinition", error["__type"]!.GetValue<string>());
    }
}
