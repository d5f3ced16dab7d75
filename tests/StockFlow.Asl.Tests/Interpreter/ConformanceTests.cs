using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Asl.Execution;
using StockFlow.Asl.Model;
using static StockFlow.Asl.Tests.Interpreter.Asl;

namespace StockFlow.Asl.Tests.Interpreter;

/// <summary>One case per rule of the ASL spec / AWS docs; expected values come from their examples.</summary>
public class ConformanceTests
{
    [Fact]
    public async Task Pass_with_Result_and_ResultPath_merges_into_the_input()
    {
        // AWS docs, ResultPath example: Result under $.taskresult keeps the rest of the input.
        var r = await Run(Single("""{"Type":"Pass","Result":"Hello, Step Functions!","ResultPath":"$.taskresult","End":true}"""),
            """{"comment":"This is a test","details":"Default example","who":"Step Functions"}""");
        AssertSucceeded(r);
        AssertJson("""{"comment":"This is a test","details":"Default example","who":"Step Functions","taskresult":"Hello, Step Functions!"}""", r.Output);
    }

    [Fact]
    public async Task Pass_without_Result_passes_its_input_through()
    {
        var r = await Run(Single("""{"Type":"Pass","End":true}"""), """{"a":1}""");
        AssertJson("""{"a":1}""", r.Output);
    }

    [Fact]
    public async Task ResultPath_null_discards_the_result()
    {
        var r = await Run(Single("""{"Type":"Pass","Result":{"x":1},"ResultPath":null,"End":true}"""), """{"a":1}""");
        AssertJson("""{"a":1}""", r.Output);
    }

    [Fact]
    public async Task InputPath_Parameters_ResultPath_OutputPath_apply_in_order()
    {
        var def = Single("""
            {"Type":"Pass","InputPath":"$.order","Parameters":{"id.$":"$.id","fixed":"v"},
             "ResultPath":"$.out","OutputPath":"$.out","End":true}
            """);
        var r = await Run(def, """{"order":{"id":7},"other":true}""");
        AssertJson("""{"id":7,"fixed":"v"}""", r.Output);
    }

    [Fact]
    public async Task InputPath_null_gives_an_empty_object()
    {
        var r = await Run(Single("""{"Type":"Pass","InputPath":null,"End":true}"""), """{"a":1}""");
        AssertJson("{}", r.Output);
    }

    [Fact]
    public async Task OutputPath_null_gives_an_empty_object()
    {
        var r = await Run(Single("""{"Type":"Pass","OutputPath":null,"End":true}"""), """{"a":1}""");
        AssertJson("{}", r.Output);
    }

    [Fact]
    public async Task Task_gets_Parameters_and_its_result_goes_through_ResultSelector_and_ResultPath()
    {
        var invoker = DelegateInvoker.Returning(i => J($$"""{"Payload":{"sum":{{i.Parameters!["a"]!.GetValue<int>() + 1}}},"StatusCode":200}"""));
        var def = Single("""
            {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"a.$":"$.n"},
             "ResultSelector":{"total.$":"$.Payload.sum"},"ResultPath":"$.result","End":true}
            """);
        var r = await Run(def, """{"n":41}""", invoker);
        AssertSucceeded(r);
        AssertJson("""{"n":41,"result":{"total":42}}""", r.Output);
        var call = Assert.Single(invoker.Calls);
        Assert.Equal("S", call.StateName);
        Assert.Equal("arn:aws:states:::lambda:invoke", call.Resource);
    }

    [Fact]
    public async Task An_exception_from_the_binding_fails_the_task_with_States_TaskFailed()
    {
        var invoker = new DelegateInvoker((_, _) => throw new InvalidOperationException("boom"));
        var r = await Run(Single("""{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}"""), "{}", invoker);
        Assert.Equal(ExecutionStatus.Failed, r.Status);
        Assert.Equal("States.TaskFailed", r.Error);
        Assert.Equal("boom", r.Cause);
        Assert.Contains(r.Events, e => e.Type == "TaskFailed" && e.Field("error") == "States.TaskFailed");
    }

    [Fact]
    public async Task Retry_retries_matching_errors_up_to_MaxAttempts()
    {
        var invoker = DelegateInvoker.FailingThen(J("""{"ok":true}"""), "Lambda.TooManyRequestsException", "Lambda.TooManyRequestsException");
        var def = Single("""
            {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
             "Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException"],"MaxAttempts":2}],"End":true}
            """);
        var r = await Run(def, "{}", invoker);
        AssertSucceeded(r);
        Assert.Equal(3, invoker.Calls.Count);
    }

    [Fact]
    public async Task Retry_gives_up_after_MaxAttempts_and_fails_with_the_last_error()
    {
        var invoker = DelegateInvoker.FailingThen(J("{}"), "E", "E", "E", "E");
        var def = Single("""{"Type":"Task","Resource":"r","Retry":[{"ErrorEquals":["E"]}],"End":true}""");
        var r = await Run(def, "{}", invoker);
        Assert.Equal("E", r.Error);
        Assert.Equal(4, invoker.Calls.Count); // default MaxAttempts is 3
    }

    [Fact]
    public async Task MaxAttempts_zero_never_retries()
    {
        var invoker = DelegateInvoker.FailingThen(J("{}"), "E");
        var def = Single("""{"Type":"Task","Resource":"r","Retry":[{"ErrorEquals":["E"],"MaxAttempts":0}],"End":true}""");
        var r = await Run(def, "{}", invoker);
        Assert.Equal("E", r.Error);
        Assert.Single(invoker.Calls);
    }

    [Fact]
    public async Task Only_the_first_matching_retrier_is_used()
    {
        var invoker = DelegateInvoker.FailingThen(J("{}"), "E", "E");
        var def = Single("""
            {"Type":"Task","Resource":"r","Retry":[{"ErrorEquals":["E"],"MaxAttempts":1},{"ErrorEquals":["States.ALL"],"MaxAttempts":5}],"End":true}
            """);
        var r = await Run(def, "{}", invoker);
        Assert.Equal("E", r.Error);
        Assert.Equal(2, invoker.Calls.Count);
    }

    [Fact]
    public async Task Catch_puts_the_error_output_at_its_ResultPath_and_goes_to_Next()
    {
        var invoker = DelegateInvoker.FailingThen(J("{}"), "CustomError");
        var def = """
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"r","Catch":[{"ErrorEquals":["CustomError"],"ResultPath":"$.error","Next":"Handle"}],"End":true},
              "Handle":{"Type":"Pass","End":true}}}
            """;
        var r = await Run(def, """{"a":1}""", invoker);
        AssertSucceeded(r);
        AssertJson("""{"a":1,"error":{"Error":"CustomError","Cause":"attempt 1 failed"}}""", r.Output);
    }

    [Fact]
    public async Task States_ALL_does_not_catch_States_Runtime()
    {
        var def = """
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"r","InputPath":"$.missing","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handle"}],"End":true},
              "Handle":{"Type":"Pass","End":true}}}
            """;
        var r = await Run(def, """{"a":1}""", DelegateInvoker.Returning(_ => J("{}")));
        Assert.Equal(ExecutionStatus.Failed, r.Status);
        Assert.Equal("States.Runtime", r.Error);
        Assert.DoesNotContain(r.Events, e => e.Field("name") == "Handle");
    }

    [Fact]
    public async Task States_ALL_does_not_catch_States_DataLimitExceeded_but_naming_it_does()
    {
        var big = new string('x', 270_000);
        var invoker = DelegateInvoker.Returning(_ => JsonValue.Create(big));
        var catchAll = """
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"r","Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"}],"End":true},
              "H":{"Type":"Pass","End":true}}}
            """;
        var r = await Run(catchAll, "{}", invoker);
        Assert.Equal("States.DataLimitExceeded", r.Error);

        var named = catchAll.Replace("States.ALL", "States.DataLimitExceeded", StringComparison.Ordinal);
        var r2 = await Run(named, "{}", invoker);
        AssertSucceeded(r2);
    }

    [Fact]
    public async Task Choice_takes_the_first_matching_rule()
    {
        var def = """
            {"StartAt":"C","States":{
              "C":{"Type":"Choice","Choices":[
                 {"Variable":"$.n","NumericGreaterThan":10,"Next":"Big"},
                 {"Variable":"$.n","NumericGreaterThan":0,"Next":"Small"}],"Default":"Zero"},
              "Big":{"Type":"Pass","Result":"big","End":true},
              "Small":{"Type":"Pass","Result":"small","End":true},
              "Zero":{"Type":"Pass","Result":"zero","End":true}}}
            """;
        AssertJson("\"big\"", (await Run(def, """{"n":11}""")).Output);
        AssertJson("\"small\"", (await Run(def, """{"n":5}""")).Output);
        AssertJson("\"zero\"", (await Run(def, """{"n":0}""")).Output);
    }

    [Fact]
    public async Task Choice_without_a_match_or_Default_fails_with_NoChoiceMatched()
    {
        var def = """
            {"StartAt":"C","States":{
              "C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"A"}]},
              "A":{"Type":"Succeed"}}}
            """;
        var r = await Run(def, """{"n":2}""");
        Assert.Equal("States.NoChoiceMatched", r.Error);
    }

    [Fact]
    public async Task Succeed_ends_the_execution_with_its_input()
    {
        var r = await Run(Single("""{"Type":"Succeed","OutputPath":"$.a"}"""), """{"a":[1]}""");
        AssertJson("[1]", r.Output);
        Assert.Equal("ExecutionStarted,SucceedStateEntered,SucceedStateExited,ExecutionSucceeded", Types(r));
    }

    [Fact]
    public async Task Fail_reports_Error_and_Cause()
    {
        var r = await Run(Single("""{"Type":"Fail","Error":"NothingIngested","Cause":"No symbol produced rows"}"""));
        Assert.Equal(ExecutionStatus.Failed, r.Status);
        Assert.Equal("NothingIngested", r.Error);
        Assert.Equal("No symbol produced rows", r.Cause);
        Assert.Equal("ExecutionStarted,FailStateEntered,ExecutionFailed", Types(r));
    }

    [Fact]
    public async Task Fail_without_Error_or_Cause_reports_neither_as_AWS_does()
    {
        // AWS (recorded): DescribeExecution has no error/cause and the ExecutionFailed details are {}.
        var r = await Run(Single("""{"Type":"Fail"}"""));
        Assert.Null(r.Error);
        Assert.Null(r.Cause);
        Assert.Equal("{}", r.Events[^1].Details["executionFailedEventDetails"]!.ToJsonString());
    }

    [Fact]
    public async Task Fail_reads_ErrorPath_and_CausePath_including_intrinsics()
    {
        var r = await Run(Single("""{"Type":"Fail","ErrorPath":"$.e","CausePath":"States.Format('bad {}', $.n)"}"""), """{"e":"Custom","n":3}""");
        Assert.Equal("Custom", r.Error);
        Assert.Equal("bad 3", r.Cause);
    }

    [Fact]
    public async Task Map_runs_the_processor_per_item_and_keeps_order()
    {
        var def = """
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":0,
              "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"v.$":"$.v"},"End":true}}},
              "ResultPath":"$.out","End":true}}}
            """;
        var r = await Run(def, """{"items":[{"v":1},{"v":2},{"v":3}]}""");
        AssertSucceeded(r);
        AssertJson("""{"items":[{"v":1},{"v":2},{"v":3}],"out":[{"v":1},{"v":2},{"v":3}]}""", r.Output);
    }

    [Fact]
    public async Task Map_ItemSelector_reads_the_Map_Item_context()
    {
        var def = """
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs",
              "ItemSelector":{"index.$":"$$.Map.Item.Index","value.$":"$$.Map.Item.Value","k.$":"$.k"},
              "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
            """;
        var r = await Run(def, """{"xs":["a","b"],"k":9}""");
        AssertJson("""[{"index":0,"value":"a","k":9},{"index":1,"value":"b","k":9}]""", r.Output);
    }

    [Fact]
    public async Task Map_accepts_the_older_Iterator_and_Parameters_fields()
    {
        var def = """
            {"StartAt":"M","States":{"M":{"Type":"Map","Parameters":{"x.$":"$$.Map.Item.Value"},
              "Iterator":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
            """;
        var r = await Run(def, "[1,2]");
        AssertJson("""[{"x":1},{"x":2}]""", r.Output);
    }

    [Fact]
    public async Task Map_MaxConcurrency_1_runs_items_one_at_a_time()
    {
        var running = 0;
        var peak = 0;
        var invoker = new DelegateInvoker(async (i, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            peak = Math.Max(peak, now);
            await Task.Delay(5, ct);
            Interlocked.Decrement(ref running);
            return i.Parameters;
        });
        var def = """
            {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,
              "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"r","End":true}}},"End":true}}}
            """;
        var r = await Run(def, "[1,2,3,4]", invoker);
        AssertSucceeded(r);
        Assert.Equal(1, peak);
    }

    [Fact]
    public async Task Map_MaxConcurrencyPath_reads_the_limit_from_the_input()
    {
        var def = """
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs","MaxConcurrencyPath":"$.limit",
              "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
            """;
        AssertSucceeded(await Run(def, """{"xs":[1,2],"limit":1}"""));
        var bad = await Run(def, """{"xs":[1,2],"limit":-1}""");
        Assert.Equal("States.Runtime", bad.Error);
    }

    [Fact]
    public async Task Map_over_something_that_is_neither_an_array_nor_an_object_fails_with_States_Runtime()
    {
        var def = """
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs",
              "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
            """;
        // An object is iterated pair by pair (AWS's ItemsPath page); a string is neither.
        var r = await Run(def, """{"xs":"abc"}""");
        Assert.Equal("States.Runtime", r.Error);
        Assert.Contains("entered at the event id #2", r.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_iteration_fails_the_Map_with_its_error_which_Catch_can_handle()
    {
        var def = """
            {"StartAt":"M","States":{
              "M":{"Type":"Map","ItemProcessor":{"StartAt":"C","States":{
                  "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"F"}],"Default":"OK"},
                  "F":{"Type":"Fail","Error":"BadItem","Cause":"two"},
                  "OK":{"Type":"Succeed"}}},
                "Catch":[{"ErrorEquals":["BadItem"],"Next":"H"}],"End":true},
              "H":{"Type":"Pass","End":true}}}
            """;
        var r = await Run(def, "[1,2,3]");
        AssertSucceeded(r);
        AssertJson("""{"Error":"BadItem","Cause":"two"}""", r.Output);
        Assert.Contains(r.Events, e => e.Type == "MapIterationFailed");
        Assert.Contains(r.Events, e => e.Type == "MapStateFailed");
    }

    [Fact]
    public async Task Parallel_returns_branch_outputs_in_branch_order()
    {
        // AWS docs, "Combine Data from Parallel State" example.
        var def = """
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Name","States":{"Name":{"Type":"Pass","Result":{"fname":"Jack","lname":"Johnson"},"ResultPath":"$.Name","End":true}}},
              {"StartAt":"Address","States":{"Address":{"Type":"Pass","Result":{"Number":"123","Street":"Fake St","Zip":"90210"},"ResultPath":"$.Address","End":true}}}]}}}
            """;
        var r = await Run(def, "{}");
        AssertJson("""[{"Name":{"fname":"Jack","lname":"Johnson"}},{"Address":{"Number":"123","Street":"Fake St","Zip":"90210"}}]""", r.Output);
    }

    [Fact]
    public async Task A_failed_branch_fails_the_Parallel_with_its_error()
    {
        var def = """
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
              {"StartAt":"B","States":{"B":{"Type":"Fail","Error":"BranchBroke","Cause":"b"}}}]}}}
            """;
        var r = await Run(def, "{}");
        Assert.Equal("BranchBroke", r.Error);
        Assert.Contains(r.Events, e => e.Type == "ParallelStateFailed");
    }

    [Fact]
    public async Task Parallel_ResultSelector_shapes_the_branch_outputs()
    {
        var def = """
            {"StartAt":"P","States":{"P":{"Type":"Parallel","ResultSelector":{"first.$":"$[0]","second.$":"$[1]"},"End":true,"Branches":[
              {"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,"End":true}}},
              {"StartAt":"B","States":{"B":{"Type":"Pass","Result":2,"End":true}}}]}}}
            """;
        AssertJson("""{"first":1,"second":2}""", (await Run(def, "{}")).Output);
    }

    [Fact]
    public async Task The_context_object_describes_execution_state_and_machine()
    {
        var def = Single("""
            {"Type":"Pass","Parameters":{"name.$":"$$.Execution.Name","input.$":"$$.Execution.Input","state.$":"$$.State.Name",
              "machine.$":"$$.StateMachine.Name","id.$":"$$.Execution.Id","redrive.$":"$$.Execution.RedriveCount"},"End":true}
            """);
        var r = await Run(def, """{"a":1}""", options: new ExecutionOptions { ExecutionName = "exec-1", StateMachineName = "pipeline", WaitScale = 0 });
        AssertJson("""
            {"name":"exec-1","input":{"a":1},"state":"S","machine":"pipeline",
             "id":"arn:aws:states:us-east-1:123456789012:execution:pipeline:exec-1","redrive":0}
            """, r.Output);
    }

    [Fact]
    public async Task A_waitForTaskToken_task_gets_a_task_token_in_its_context()
    {
        var def = Single("""
            {"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"token.$":"$$.Task.Token"},"End":true}
            """);
        var r = await Run(def, "{}", DelegateInvoker.Returning(i => i.Parameters));
        AssertSucceeded(r);
        Assert.False(string.IsNullOrEmpty(r.Output!["token"]!.GetValue<string>()));
    }

    [Fact]
    public async Task State_RetryCount_counts_retries_in_the_task_context()
    {
        var seen = new List<int>();
        var n = 0;
        var invoker = new DelegateInvoker((i, _) =>
        {
            seen.Add(i.Context["State"]!["RetryCount"]!.GetValue<int>());
            if (n++ < 2) throw new StatesErrorException("E", "again");
            return Task.FromResult<JsonNode?>(J("{}"));
        });
        var r = await Run(Single("""{"Type":"Task","Resource":"r","Retry":[{"ErrorEquals":["E"]}],"End":true}"""), "{}", invoker);
        AssertSucceeded(r);
        Assert.Equal([0, 1, 2], seen);
    }

    [Fact]
    public async Task Assigned_variables_are_readable_in_later_states()
    {
        var def = """
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"greeting":"hi","n.$":"$.n"},"Next":"B"},
              "B":{"Type":"Pass","Parameters":{"g.$":"$greeting","n.$":"$n"},"End":true}}}
            """;
        var r = await Run(def, """{"n":5}""");
        AssertJson("""{"g":"hi","n":5}""", r.Output);
        var exited = r.Events.First(e => e.Type == "PassStateExited");
        Assert.Equal("\"hi\"", exited.Body!["assignedVariables"]!["greeting"]!.GetValue<string>());
    }

    [Fact]
    public async Task Assign_reads_the_old_values_of_variables()
    {
        var def = """
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"x":1,"y":2},"Next":"B"},
              "B":{"Type":"Pass","Assign":{"x.$":"$y","y.$":"$x"},"Next":"C"},
              "C":{"Type":"Pass","Parameters":{"x.$":"$x","y.$":"$y"},"End":true}}}
            """;
        AssertJson("""{"x":2,"y":1}""", (await Run(def, "{}")).Output);
    }

    [Fact]
    public async Task Task_Assign_reads_the_result_after_ResultSelector()
    {
        var def = """
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"r","ResultSelector":{"v.$":"$.Payload"},"Assign":{"saved.$":"$.v"},"ResultPath":null,"Next":"B"},
              "B":{"Type":"Pass","Parameters":{"saved.$":"$saved"},"End":true}}}
            """;
        var r = await Run(def, "{}", DelegateInvoker.Returning(_ => J("""{"Payload":42}""")));
        AssertJson("""{"saved":42}""", r.Output);
    }

    [Fact]
    public async Task Iterations_read_outer_variables_but_their_assignments_stay_inside()
    {
        var def = """
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"outer":10},"Next":"M"},
              "M":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{
                  "I":{"Type":"Pass","Assign":{"inner.$":"$"},"Next":"J"},
                  "J":{"Type":"Pass","Parameters":{"o.$":"$outer","i.$":"$inner"},"End":true}}},"Next":"After"},
              "After":{"Type":"Pass","Parameters":{"hasInner.$":"States.ArrayLength($)"},"End":true}}}
            """;
        var r = await Run(def, "[1,2]");
        AssertSucceeded(r);
        AssertJson("""{"hasInner":2}""", r.Output);
        var mapOut = r.Events.Last(e => e.Type == "MapStateExited").Field("output");
        AssertJson("""[{"o":10,"i":1},{"o":10,"i":2}]""", J(mapOut!));

        var leak = """
            {"StartAt":"M","States":{
              "M":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","Assign":{"inner":1},"End":true}}},"Next":"After"},
              "After":{"Type":"Pass","Parameters":{"x.$":"$inner"},"End":true}}}
            """;
        var r2 = await Run(leak, "[1]");
        Assert.Equal(ExecutionStatus.Failed, r2.Status);
    }

    [Fact]
    public async Task Runtime_errors_name_the_state_and_the_event_that_entered_it()
    {
        var def = """
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Next":"B"},
              "B":{"Type":"Pass","Parameters":{"x.$":"$.missing"},"End":true}}}
            """;
        var r = await Run(def, "{}");
        Assert.Equal("States.Runtime", r.Error);
        Assert.StartsWith("An error occurred while executing the state 'B' (entered at the event id #4).", r.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_over_256_KiB_fails_with_DataLimitExceeded()
    {
        var r = await Run(Single("""{"Type":"Pass","Parameters":{"x.$":"$.s"},"End":true}"""), $$"""{"s":"{{new string('a', 262_200)}}"}""");
        Assert.Equal("States.DataLimitExceeded", r.Error);
    }

    [Fact]
    public async Task The_history_cap_fails_the_execution_with_States_Runtime()
    {
        var def = """
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Next":"B"},
              "B":{"Type":"Pass","Next":"A"}}}
            """;
        var r = await Run(def, "{}", options: new ExecutionOptions { MaxHistoryEvents = 50, WaitScale = 0 });
        Assert.Equal(ExecutionStatus.Failed, r.Status);
        Assert.Equal("States.Runtime", r.Error);
        Assert.Equal(50, r.Events.Count);
        Assert.Equal("ExecutionFailed", r.Events[^1].Type);
    }

    [Fact]
    public async Task Cancelling_the_run_aborts_the_execution()
    {
        using var cts = new CancellationTokenSource();
        var invoker = new DelegateInvoker(async (_, ct) =>
        {
            await cts.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });
        var r = await Run(Single("""{"Type":"Task","Resource":"r","End":true}"""), "{}", invoker, ct: cts.Token);
        Assert.Equal(ExecutionStatus.Aborted, r.Status);
        Assert.Equal("ExecutionAborted", r.Events[^1].Type);
    }

    [Fact]
    public async Task The_caller_input_is_not_modified()
    {
        var input = J("""{"a":1}""");
        var r = await AslExecutor.RunAsync(
            StateMachineDefinition.Parse(Single("""{"Type":"Pass","Result":2,"ResultPath":"$.b","End":true}""")), input, new ExecutionOptions { WaitScale = 0 });
        AssertJson("""{"a":1,"b":2}""", r.Output);
        AssertJson("""{"a":1}""", input);
    }
}
