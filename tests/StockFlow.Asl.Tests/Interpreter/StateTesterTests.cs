using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Asl.Execution;
using StockFlow.Asl.Model;
using StockFlow.Asl.TestState;
using static StockFlow.Asl.Tests.Interpreter.Asl;

namespace StockFlow.Asl.Tests.Interpreter;

public class StateTesterTests
{
    private static ExecutionOptions With(ITaskInvoker? invoker = null) => new() { TaskInvoker = invoker, WaitScale = 0 };

    [Fact]
    public async Task A_task_reports_every_processing_step()
    {
        var invoker = DelegateInvoker.Returning(i => J($$"""{"Payload":{"echo":{{i.Parameters!["id"]}}},"StatusCode":200}"""));
        var r = await StateTester.RunAsync("""
            {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","InputPath":"$.data","Parameters":{"id.$":"$.id"},
             "ResultSelector":{"echo.$":"$.Payload.echo"},"ResultPath":"$.result","Next":"Later"}
            """, J("""{"data":{"id":5}}"""), With(invoker));
        Assert.Equal(StateTester.Succeeded, r.Status);
        Assert.Equal("Later", r.NextState);
        AssertJson("""{"data":{"id":5},"result":{"echo":5}}""", r.Output);
        var d = r.InspectionData;
        Assert.Equal("""{"data":{"id":5}}""", d.Input);
        Assert.Equal("""{"id":5}""", d.AfterInputPath);
        Assert.Equal("""{"id":5}""", d.AfterParameters);
        Assert.Equal("""{"Payload":{"echo":5},"StatusCode":200}""", d.Result);
        Assert.Equal("""{"echo":5}""", d.AfterResultSelector);
        Assert.Equal("""{"data":{"id":5},"result":{"echo":5}}""", d.AfterResultPath);
    }

    [Fact]
    public async Task An_error_a_retrier_would_retry_is_RETRIABLE_and_not_retried()
    {
        var invoker = DelegateInvoker.FailingThen(J("{}"), "Throttled", "Throttled");
        var r = await StateTester.RunAsync("""{"Type":"Task","Resource":"r","Retry":[{"ErrorEquals":["Throttled"]}],"End":true}""", J("{}"), With(invoker));
        Assert.Equal(StateTester.Retriable, r.Status);
        Assert.Equal("Throttled", r.Error);
        Assert.Single(invoker.Calls);
    }

    [Fact]
    public async Task A_caught_error_is_CAUGHT_ERROR_with_the_catcher_next_state()
    {
        var invoker = DelegateInvoker.FailingThen(J("{}"), "Boom");
        var r = await StateTester.RunAsync("""{"Type":"Task","Resource":"r","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Recover"}],"End":true}""", J("{}"), With(invoker));
        Assert.Equal(StateTester.CaughtError, r.Status);
        Assert.Equal("Recover", r.NextState);
        Assert.Equal("Boom", r.Error);
        AssertJson("""{"Error":"Boom","Cause":"attempt 1 failed"}""", r.Output);
    }

    [Fact]
    public async Task An_unhandled_error_is_FAILED()
    {
        var r = await StateTester.RunAsync("""{"Type":"Fail","Error":"Nope","Cause":"because"}""", J("{}"), With());
        Assert.Equal(StateTester.Failed, r.Status);
        Assert.Equal("Nope", r.Error);
        Assert.Equal("because", r.Cause);
    }

    [Fact]
    public async Task A_choice_reports_the_chosen_next_state()
    {
        var r = await StateTester.RunAsync("""
            {"Type":"Choice","Choices":[{"Variable":"$.state","StringEquals":"READY","Next":"Transform"}],"Default":"WaitMore"}
            """, J("""{"state":"READY"}"""), With());
        Assert.Equal("Transform", r.NextState);
    }

    [Fact]
    public async Task Variables_can_be_supplied()
    {
        var vars = new Dictionary<string, JsonNode?> { ["bucket"] = JsonValue.Create("lake") };
        var r = await StateTester.RunAsync("""{"Type":"Pass","Parameters":{"b.$":"$bucket"},"End":true}""", J("{}"), With(), vars);
        AssertJson("""{"b":"lake"}""", r.Output);
        Assert.Null(r.NextState);
    }

    [Fact]
    public async Task An_invalid_state_is_refused_with_its_pointer()
    {
        var e = await Assert.ThrowsAsync<AslDefinitionException>(() => StateTester.RunAsync("""{"Type":"Wait","End":true}""", J("{}"), With()));
        Assert.Contains("exactly one of", e.Message, StringComparison.Ordinal);
    }
}
