using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Asl.Execution;
using StockFlow.Asl.History;
using StockFlow.Asl.Model;
using static StockFlow.Asl.Tests.Interpreter.Asl;

namespace StockFlow.Asl.Tests.Interpreter;

/// <summary>Redrive resumes at the failed state with its input and variables, keeping finished work.</summary>
public class RedriveTests
{
    private const string TwoTasks = """
        {"StartAt":"Plan","States":{
          "Plan":{"Type":"Task","Resource":"plan","Assign":{"planned.$":"$.n"},"ResultPath":"$.plan","Next":"Ingest"},
          "Ingest":{"Type":"Task","Resource":"ingest","Parameters":{"n.$":"$planned","redrives.$":"$$.Execution.RedriveCount"},"ResultPath":"$.ingest","End":true}}}
        """;

    /// <summary>A binding that counts calls per resource and can be told to fail one resource.</summary>
    private sealed class Bindings : ITaskInvoker
    {
        public ConcurrentDictionary<string, int> Calls { get; } = new();

        public ConcurrentDictionary<string, bool> Failing { get; } = new();

        public Func<TaskInvocation, CancellationToken, Task>? Before { get; set; }

        public async Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
        {
            Calls.AddOrUpdate(invocation.Resource, 1, (_, n) => n + 1);
            if (Before is not null) await Before(invocation, cancellationToken);
            if (Failing.TryGetValue(invocation.Resource, out var f) && f) throw new StatesErrorException("Transient", $"{invocation.Resource} is down");
            return invocation.Parameters?.DeepClone() ?? JsonValue.Create(invocation.Resource);
        }
    }

    private static ExecutionOptions Options(ITaskInvoker invoker, IReadOnlyList<HistoryEvent>? redriveFrom = null, IExecutionEventSink? sink = null) =>
        new() { TaskInvoker = invoker, WaitScale = 0, RedriveFrom = redriveFrom, EventSink = sink, MaxConcurrency = 4 };

    [Fact]
    public async Task Redrive_resumes_at_the_failed_state_with_its_input_and_variables()
    {
        var bindings = new Bindings();
        bindings.Failing["ingest"] = true;
        var def = StateMachineDefinition.Parse(TwoTasks);
        var first = await AslExecutor.RunAsync(def, J("""{"n":3}"""), Options(bindings));
        Assert.Equal(ExecutionStatus.Failed, first.Status);
        Assert.Equal("Transient", first.Error);

        bindings.Failing["ingest"] = false;
        var sink = new ListSink();
        var second = await AslExecutor.RunAsync(def, null, Options(bindings, first.Events, sink));
        AssertSucceeded(second);
        Assert.Equal(1, second.RedriveCount);
        Assert.Equal(1, bindings.Calls["plan"]);
        Assert.Equal(2, bindings.Calls["ingest"]);
        AssertJson("""{"n":3}""", second.Output!["ingest"] is { } i ? J($$"""{"n":{{i["n"]}}}""") : null);
        Assert.Equal(1, second.Output!["ingest"]!["redrives"]!.GetValue<int>());
        AssertJson("""{"n":3,"plan":{"n":3}}""", J(second.Events.Last(e => e.Type == "TaskStateEntered").Field("input")!));

        // Numbering continues: ExecutionRedriven right after ExecutionFailed; the sink saw only new events.
        var failedId = first.Events[^1].Id;
        var redriven = second.Events.Single(e => e.Type == "ExecutionRedriven");
        Assert.Equal(failedId + 1, redriven.Id);
        Assert.Equal(failedId, redriven.PreviousEventId);
        Assert.Equal(1, redriven.Body!["redriveCount"]!.GetValue<int>());
        Assert.Equal(redriven.Id, sink.Events[0].Id);
        Assert.Equal(second.Events.Count - first.Events.Count, sink.Events.Count);
        Assert.Equal(Enumerable.Range(1, second.Events.Count).Select(i => (long)i), second.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task A_killed_execution_is_redriven_from_the_events_a_store_persisted()
    {
        using var kill = new CancellationTokenSource();
        var bindings = new Bindings
        {
            Before = async (inv, ct) =>
            {
                if (inv.Resource != "ingest") return;
                await kill.CancelAsync(); // the process dies while Ingest runs
                await Task.Delay(Timeout.Infinite, ct);
            },
        };
        var def = StateMachineDefinition.Parse(TwoTasks);
        var store = new ListSink();
        var first = await AslExecutor.RunAsync(def, J("""{"n":5}"""), Options(bindings, sink: store), kill.Token);
        Assert.Equal(ExecutionStatus.Aborted, first.Status);

        // A killed process never writes its terminal event: hand back what was persisted before it, through JSON.
        var persisted = store.Events.Where(e => e.Type != "ExecutionAborted")
            .Select(e => HistoryEvent.FromAwsJson(JsonNode.Parse(e.ToAwsJson().ToJsonString())!.AsObject()))
            .ToList();
        Assert.Equal("TaskStarted", persisted[^1].Type);

        bindings.Before = null;
        var second = await AslExecutor.RunAsync(def, null, Options(bindings, persisted));
        AssertSucceeded(second);
        Assert.Equal(1, bindings.Calls["plan"]);
        Assert.Equal(5, second.Output!["ingest"]!["n"]!.GetValue<int>());
        Assert.Equal(persisted[^1].Id + 1, second.Events.Single(e => e.Type == "ExecutionRedriven").Id);
    }

    [Fact]
    public async Task Successful_Map_iterations_are_not_run_again()
    {
        var def = StateMachineDefinition.Parse("""
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.symbols",
              "ItemProcessor":{"StartAt":"Fetch","States":{"Fetch":{"Type":"Task","Resource":"fetch","Parameters":{"s.$":"$"},"End":true}}},
              "ResultPath":"$.fetched","End":true}}}
            """);
        var calls = new ConcurrentDictionary<string, int>();
        var broken = true;
        var invoker = new DelegateInvoker((inv, _) =>
        {
            var s = inv.Parameters!["s"]!.GetValue<string>();
            calls.AddOrUpdate(s, 1, (_, n) => n + 1);
            if (broken && s == "MSFT") throw new StatesErrorException("Provider.Unavailable", "no data");
            return Task.FromResult<JsonNode?>(JsonValue.Create(s.ToLowerInvariant()));
        });
        var options = new ExecutionOptions { TaskInvoker = invoker, WaitScale = 0, MaxConcurrency = 1 };
        var first = await AslExecutor.RunAsync(def, J("""{"symbols":["AAPL","MSFT","GOOG"]}"""), options);
        Assert.Equal("Provider.Unavailable", first.Error);
        Assert.Equal(1, calls["AAPL"]);

        broken = false;
        var second = await AslExecutor.RunAsync(def, null, new ExecutionOptions { TaskInvoker = invoker, WaitScale = 0, RedriveFrom = first.Events });
        AssertSucceeded(second);
        AssertJson("""["aapl","msft","goog"]""", second.Output!["fetched"]);
        Assert.Equal(1, calls["AAPL"]);
        Assert.Equal(2, calls["MSFT"]);
        Assert.True(calls.GetValueOrDefault("GOOG") <= 1);
    }

    [Fact]
    public async Task Successful_Parallel_branches_are_not_run_again_and_a_failed_branch_resumes_at_its_failed_state()
    {
        var def = StateMachineDefinition.Parse("""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"a","End":true}}},
              {"StartAt":"B1","States":{
                 "B1":{"Type":"Task","Resource":"b1","Assign":{"fromB1":"kept"},"Next":"B2"},
                 "B2":{"Type":"Task","Resource":"b2","Parameters":{"v.$":"$fromB1"},"End":true}}}]}}}
            """);
        var bindings = new Bindings();
        bindings.Failing["b2"] = true;
        var first = await AslExecutor.RunAsync(def, J("{}"), Options(bindings));
        Assert.Equal(ExecutionStatus.Failed, first.Status);

        bindings.Failing["b2"] = false;
        var second = await AslExecutor.RunAsync(def, null, Options(bindings, first.Events));
        AssertSucceeded(second);
        AssertJson("""[{},{"v":"kept"}]""", second.Output);
        Assert.Equal(1, bindings.Calls["a"]);
        Assert.Equal(1, bindings.Calls["b1"]);
        Assert.Equal(2, bindings.Calls["b2"]);
    }

    [Fact]
    public async Task A_second_redrive_counts_two_and_keeps_numbering()
    {
        var bindings = new Bindings();
        bindings.Failing["ingest"] = true;
        var def = StateMachineDefinition.Parse(TwoTasks);
        var first = await AslExecutor.RunAsync(def, J("""{"n":1}"""), Options(bindings));
        var second = await AslExecutor.RunAsync(def, null, Options(bindings, first.Events));
        Assert.Equal(ExecutionStatus.Failed, second.Status);
        bindings.Failing["ingest"] = false;
        var third = await AslExecutor.RunAsync(def, null, Options(bindings, second.Events));
        AssertSucceeded(third);
        Assert.Equal(2, third.RedriveCount);
        Assert.Equal(2, third.Output!["ingest"]!["redrives"]!.GetValue<int>());
        Assert.Equal(2, third.Events.Count(e => e.Type == "ExecutionRedriven"));
        Assert.Equal(1, bindings.Calls["plan"]);
    }

    [Fact]
    public async Task A_succeeded_execution_cannot_be_redriven()
    {
        var def = StateMachineDefinition.Parse(Single("""{"Type":"Pass","End":true}"""));
        var done = await AslExecutor.RunAsync(def, J("{}"), new ExecutionOptions { WaitScale = 0 });
        await Assert.ThrowsAsync<InvalidOperationException>(() => AslExecutor.RedriveAsync(def, done.Events, new ExecutionOptions()));
    }

    [Fact]
    public async Task Events_from_another_definition_are_refused_with_a_clear_message()
    {
        var bindings = new Bindings();
        bindings.Failing["ingest"] = true;
        var first = await AslExecutor.RunAsync(StateMachineDefinition.Parse(TwoTasks), J("""{"n":1}"""), Options(bindings));
        var other = StateMachineDefinition.Parse(Single("""{"Type":"Pass","End":true}"""));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => AslExecutor.RedriveAsync(other, first.Events, new ExecutionOptions()));
        Assert.Contains("Plan", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redrive_of_an_empty_history_is_refused()
    {
        var def = StateMachineDefinition.Parse(Single("""{"Type":"Pass","End":true}"""));
        await Assert.ThrowsAsync<InvalidOperationException>(() => AslExecutor.RedriveAsync(def, [], new ExecutionOptions()));
    }
}
