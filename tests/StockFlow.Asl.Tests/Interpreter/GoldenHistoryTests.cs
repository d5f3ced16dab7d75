using StockFlow.Asl;
using StockFlow.Asl.Execution;
using StockFlow.Asl.History;
using static StockFlow.Asl.Tests.Interpreter.Asl;

namespace StockFlow.Asl.Tests.Interpreter;

/// <summary>Event types, ids and previous ids for representative executions, numbered as Step Functions numbers them.</summary>
public class GoldenHistoryTests
{
    private static string Golden(ExecutionResult r) =>
        string.Join("\n", r.Events.Select(e => $"{e.Id} {e.PreviousEventId} {e.Type}"));

    private static ExecutionOptions Sequential => new() { WaitScale = 0, MaxConcurrency = 1 };

    [Fact]
    public async Task Task_with_Retry_then_Catch()
    {
        var def = """
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"ingest"},
                   "Retry":[{"ErrorEquals":["Lambda.ServiceException"],"MaxAttempts":1}],
                   "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Notify"}],"End":true},
              "Notify":{"Type":"Pass","End":true}}}
            """;
        var invoker = DelegateInvoker.FailingThen(null, "Lambda.ServiceException", "Lambda.ServiceException");
        var r = await Run(def, "{}", invoker, Sequential);
        Assert.Equal(
            """
            1 0 ExecutionStarted
            2 1 TaskStateEntered
            3 2 TaskScheduled
            4 3 TaskStarted
            5 4 TaskFailed
            6 5 TaskScheduled
            7 6 TaskStarted
            8 7 TaskFailed
            9 8 TaskStateExited
            10 9 PassStateEntered
            11 10 PassStateExited
            12 11 ExecutionSucceeded
            """.ReplaceLineEndings("\n"),
            Golden(r));
        var scheduled = r.Events[2].Body!;
        Assert.Equal("lambda", scheduled["resourceType"]!.GetValue<string>());
        Assert.Equal("invoke", scheduled["resource"]!.GetValue<string>());
        Assert.Equal("us-east-1", scheduled["region"]!.GetValue<string>());
        Assert.Equal("""{"FunctionName":"ingest"}""", scheduled["parameters"]!.GetValue<string>());
        Assert.Equal("Lambda.ServiceException", r.Events[4].Field("error"));
        Assert.Equal("T", r.Events[1].Field("name"));
        Assert.Equal("{}", r.Events[1].Field("input"));
        Assert.True(r.Events[1].Details.ContainsKey("stateEnteredEventDetails"));
    }

    [Fact]
    public async Task Map_over_two_items()
    {
        var def = """
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
            """;
        var r = await Run(def, "[1,2]", options: Sequential);
        Assert.Equal(
            """
            1 0 ExecutionStarted
            2 1 MapStateEntered
            3 2 MapStateStarted
            4 3 MapIterationStarted
            5 4 PassStateEntered
            6 5 PassStateExited
            7 6 MapIterationSucceeded
            8 3 MapIterationStarted
            9 8 PassStateEntered
            10 9 PassStateExited
            11 10 MapIterationSucceeded
            12 3 MapStateSucceeded
            13 12 MapStateExited
            14 13 ExecutionSucceeded
            """.ReplaceLineEndings("\n"),
            Golden(r));
        Assert.Equal(2, r.Events[2].Body!["length"]!.GetValue<int>());
        Assert.Equal(1, r.Events[7].Body!["index"]!.GetValue<int>());
        Assert.Equal("M", r.Events[7].Field("name"));
    }

    [Fact]
    public async Task Parallel_with_two_branches()
    {
        var def = """
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
              {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]}}}
            """;
        var r = await Run(def, "{}", options: Sequential);
        Assert.Equal(
            """
            1 0 ExecutionStarted
            2 1 ParallelStateEntered
            3 2 ParallelStateStarted
            4 3 PassStateEntered
            5 4 PassStateExited
            6 3 PassStateEntered
            7 6 PassStateExited
            8 3 ParallelStateSucceeded
            9 8 ParallelStateExited
            10 9 ExecutionSucceeded
            """.ReplaceLineEndings("\n"),
            Golden(r));
    }

    [Fact]
    public async Task Failed_execution_ends_with_ExecutionFailed_details()
    {
        var r = await Run(Single("""{"Type":"Fail","Error":"E","Cause":"C"}"""), "{}");
        var last = r.Events[^1];
        Assert.Equal("ExecutionFailed", last.Type);
        Assert.Equal(2, last.PreviousEventId);
        Assert.Equal("E", last.Body!["error"]!.GetValue<string>());
        Assert.Equal("C", last.Body!["cause"]!.GetValue<string>());
        Assert.True(last.Details.ContainsKey("executionFailedEventDetails"));
    }

    [Fact]
    public async Task Events_round_trip_through_the_AWS_json_shape()
    {
        var r = await Run(Single("""{"Type":"Pass","Result":{"x":1},"End":true}"""), "{}");
        foreach (var e in r.Events)
        {
            var back = HistoryEvent.FromAwsJson(e.ToAwsJson());
            Assert.Equal(e.Id, back.Id);
            Assert.Equal(e.PreviousEventId, back.PreviousEventId);
            Assert.Equal(e.Type, back.Type);
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(e.Details, back.Details));
        }
    }
}
