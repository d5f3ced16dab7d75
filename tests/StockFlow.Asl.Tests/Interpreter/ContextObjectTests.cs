using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using StockFlow.Asl;
using StockFlow.Asl.Execution;
using StockFlow.Asl.Model;
using static StockFlow.Asl.Tests.Interpreter.Asl;

namespace StockFlow.Asl.Tests.Interpreter;

/// <summary>
/// The context object as AWS fills it per state type, read as $$ in JSONPath states and as $states.context in
/// JSONata states: Execution, State, StateMachine; Task.Token only for .waitForTaskToken; Map.Item (Index, Value,
/// Key for an object's pairs, Source in a Distributed Map); a Distributed Map's children are executions of their own.
/// </summary>
public class ContextObjectTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 30, 0, 250, TimeSpan.Zero);

    private static ExecutionOptions Options(ITaskInvoker? invoker = null, MemoryStore? store = null) => new()
    {
        TimeProvider = new FakeTimeProvider(T0),
        WaitScale = 0,
        ExecutionName = "run-7",
        StateMachineName = "pipeline",
        Region = "eu-west-1",
        AccountId = "123456789012",
        RoleArn = "arn:aws:iam::123456789012:role/sfn",
        TaskInvoker = invoker,
        ItemStore = store,
    };

    private static Task<ExecutionResult> RunWith(string definition, string input, ExecutionOptions options) =>
        AslExecutor.RunAsync(StateMachineDefinition.Parse(definition), J(input), options);

    private const string ExpectedContext = """
        {"Execution":{"Id":"arn:aws:states:eu-west-1:123456789012:execution:pipeline:run-7","Input":{"a":1},"Name":"run-7",
                      "RoleArn":"arn:aws:iam::123456789012:role/sfn","StartTime":"2026-03-02T09:30:00.250Z","RedriveCount":0},
         "State":{"EnteredTime":"2026-03-02T09:30:00.250Z","Name":"S"},
         "StateMachine":{"Id":"arn:aws:states:eu-west-1:123456789012:stateMachine:pipeline","Name":"pipeline"}}
        """;

    /// <summary>As AWS records it for a Pass state: no State.RetryCount (only Task, Map and Parallel retry).</summary>
    [Fact]
    public async Task A_Pass_state_sees_Execution_State_and_StateMachine_in_JSONPath_and_in_JSONata()
    {
        var jsonPath = await RunWith(Single("""{"Type":"Pass","Parameters":{"ctx.$":"$$"},"OutputPath":"$.ctx","End":true}"""), """{"a":1}""", Options());
        AssertSucceeded(jsonPath);
        AssertJson(ExpectedContext, jsonPath.Output);

        var jsonata = await RunWith(Single("""{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $states.context %}","End":true}"""), """{"a":1}""", Options());
        AssertSucceeded(jsonata);
        AssertJson(ExpectedContext, jsonata.Output);
    }

    [Fact]
    public async Task A_retried_Task_sees_its_RetryCount_and_a_waitForTaskToken_Task_its_token_in_both_languages()
    {
        var invoker = DelegateInvoker.FailingThen(J("{}"), "Flaky", "Flaky");
        var jsonPath = await RunWith(
            Single("""{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"retry.$":"$$.State.RetryCount"},"Retry":[{"ErrorEquals":["Flaky"],"MaxAttempts":3}],"End":true}"""),
            "{}",
            Options(invoker));
        AssertSucceeded(jsonPath);
        Assert.Equal([0, 1, 2], invoker.Calls.Select(c => int.Parse(c.Parameters!["retry"]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)));

        var again = DelegateInvoker.FailingThen(J("{}"), "Flaky");
        var jsonata = await RunWith(
            Single("""{"Type":"Task","QueryLanguage":"JSONata","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"retry":"{% $states.context.State.RetryCount %}"},"Retry":[{"ErrorEquals":["Flaky"],"MaxAttempts":3}],"End":true}"""),
            "{}",
            Options(again));
        AssertSucceeded(jsonata);
        Assert.Equal([0, 1], again.Calls.Select(c => int.Parse(c.Parameters!["retry"]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)));

        foreach (var (definition, field) in new[]
        {
            ("""{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"token.$":"$$.Task.Token"},"End":true}""", "token"),
            ("""{"Type":"Task","QueryLanguage":"JSONata","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Arguments":{"token":"{% $states.context.Task.Token %}"},"End":true}""", "token"),
        })
        {
            var calls = DelegateInvoker.Returning(_ => J("{}"));
            AssertSucceeded(await RunWith(Single(definition), "{}", Options(calls)));
            var call = Assert.Single(calls.Calls);
            Assert.False(string.IsNullOrEmpty(call.Parameters![field]!.GetValue<string>()));
            Assert.Equal(call.Parameters![field]!.GetValue<string>(), call.Context["Task"]!["Token"]!.GetValue<string>());
        }

        // Without .waitForTaskToken there is no Task node: the path finds nothing, the expression gives nothing.
        var noToken = await RunWith(Single("""{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"token.$":"$$.Task.Token"},"End":true}"""), "{}", Options(DelegateInvoker.Returning(_ => J("{}"))));
        Assert.Equal(StatesErrors.Runtime, noToken.Error);
        var noTokenJsonata = await RunWith(Single("""{"Type":"Task","QueryLanguage":"JSONata","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"token":"{% $states.context.Task.Token %}"},"End":true}"""), "{}", Options(DelegateInvoker.Returning(_ => J("{}"))));
        Assert.Equal(StatesErrors.QueryEvaluationError, noTokenJsonata.Error);
    }

    private const string Echo = """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""";

    [Fact]
    public async Task Map_items_of_an_array_have_Index_and_Value_and_no_Source_inline()
    {
        var jsonPath = await RunWith(
            Single("""{"Type":"Map","ItemsPath":"$.xs","ItemSelector":{"item.$":"$$.Map.Item"},"ItemProcessor":""" + Echo + ""","End":true}"""),
            """{"xs":["a",{"b":2}]}""",
            Options());
        AssertJson("""[{"item":{"Index":0,"Value":"a"}},{"item":{"Index":1,"Value":{"b":2}}}]""", jsonPath.Output);

        var jsonata = await RunWith(
            Single("""{"Type":"Map","QueryLanguage":"JSONata","Items":"{% $states.input.xs %}","ItemSelector":{"item":"{% $states.context.Map.Item %}"},"ItemProcessor":""" + Echo + ""","End":true}"""),
            """{"xs":["a",{"b":2}]}""",
            Options());
        AssertJson("""[{"item":{"Index":0,"Value":"a"}},{"item":{"Index":1,"Value":{"b":2}}}]""", jsonata.Output);
    }

    [Fact]
    public async Task A_Map_over_an_object_iterates_its_pairs_with_Map_Item_Key()
    {
        var jsonPath = await RunWith(
            Single("""{"Type":"Map","ItemsPath":"$.servers","ItemSelector":{"item.$":"$$.Map.Item"},"ItemProcessor":""" + Echo + ""","End":true}"""),
            """{"servers":{"web":{"port":80},"db":{"port":5432}}}""",
            Options());
        AssertSucceeded(jsonPath);
        AssertJson("""[{"item":{"Index":0,"Key":"web","Value":{"port":80}}},{"item":{"Index":1,"Key":"db","Value":{"port":5432}}}]""", jsonPath.Output);

        var pairs = await RunWith(Single("""{"Type":"Map","ItemProcessor":""" + Echo + ""","End":true}"""), """{"a":1,"b":[2]}""", Options());
        AssertJson("""[{"Key":"a","Value":1},{"Key":"b","Value":[2]}]""", pairs.Output);

        var jsonata = await RunWith(
            Single("""{"Type":"Map","QueryLanguage":"JSONata","Items":"{% $states.input.servers %}","ItemSelector":{"name":"{% $states.context.Map.Item.Key %}","port":"{% $states.context.Map.Item.Value.port %}","at":"{% $states.context.Map.Item.Index %}"},"ItemProcessor":""" + Echo + ""","End":true}"""),
            """{"servers":{"web":{"port":80},"db":{"port":5432}}}""",
            Options());
        AssertSucceeded(jsonata);
        AssertJson("""[{"name":"web","port":80,"at":0},{"name":"db","port":5432,"at":1}]""", jsonata.Output);

        var scalar = await RunWith(Single("""{"Type":"Map","ItemsPath":"$.n","ItemProcessor":""" + Echo + ""","End":true}"""), """{"n":3}""", Options());
        Assert.Equal(StatesErrors.Runtime, scalar.Error);
        Assert.Contains("must be an array or an object", scalar.Cause, StringComparison.Ordinal);
    }

    private const string DistributedEcho = """{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""";

    [Fact]
    public async Task A_Distributed_Map_gives_Map_Item_Source_STATE_DATA_or_the_S3_URI_it_read()
    {
        var store = new MemoryStore();
        store.Put("lake", "in/items.json", """[{"a":1}]""");
        var fromInput = await RunWith(
            Single("""{"Type":"Map","ItemSelector":{"source.$":"$$.Map.Item.Source"},"ItemProcessor":""" + DistributedEcho + ""","End":true}"""),
            "[1]",
            Options(store: store));
        AssertJson("""[{"source":"STATE_DATA"}]""", fromInput.Output);

        var fromObject = await RunWith(
            Single("""{"Type":"Map","QueryLanguage":"JSONata","ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Arguments":{"Bucket":"lake","Key":"in/items.json"}},"ItemSelector":{"source":"{% $states.context.Map.Item.Source %}"},"ItemProcessor":""" + DistributedEcho + ""","End":true}"""),
            "{}",
            Options(store: store));
        AssertJson("""[{"source":"S3://lake/in/items.json"}]""", fromObject.Output);

        var fromListing = await RunWith(
            Single("""{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2","Parameters":{"Bucket":"lake","Prefix":"in/"}},"ItemSelector":{"source.$":"$$.Map.Item.Source"},"ItemProcessor":""" + DistributedEcho + ""","End":true}"""),
            "{}",
            Options(store: store));
        AssertJson("""[{"source":"S3://lake"}]""", fromListing.Output);
    }

    [Fact]
    public async Task A_Distributed_Maps_children_are_executions_of_their_own()
    {
        const string processor = """
            {"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C","States":{
              "C":{"Type":"Pass","Parameters":{"id.$":"$$.Execution.Id","name.$":"$$.Execution.Name","input.$":"$$.Execution.Input","machine.$":"$$.StateMachine"},"End":true}}}
            """;
        var r = await RunWith(Single("""{"Type":"Map","Label":"Fan","ItemProcessor":""" + processor + ""","End":true}"""), """[{"x":1}]""", Options(store: new MemoryStore()));
        AssertSucceeded(r);
        var child = r.Output![0]!;
        var name = child["name"]!.GetValue<string>();
        Assert.EndsWith(":0", name, StringComparison.Ordinal);
        Assert.Equal($"arn:aws:states:eu-west-1:123456789012:execution:pipeline/Fan:{name}", child["id"]!.GetValue<string>());
        AssertJson("""{"x":1}""", child["input"]);
        AssertJson("""{"Id":"arn:aws:states:eu-west-1:123456789012:stateMachine:pipeline/Fan","Name":"pipeline/Fan"}""", child["machine"]);
    }

    [Fact]
    public async Task A_redriven_execution_has_RedriveCount_and_RedriveTime()
    {
        const string def = """
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"work","Parameters":{"execution.$":"$$.Execution"},"End":true}}}
            """;
        var fail = true;
        var invoker = new DelegateInvoker((i, _) => fail ? throw new StatesErrorException("Down", "down") : Task.FromResult(i.Parameters?.DeepClone()));
        var first = await RunWith(def, "{}", Options(invoker));
        Assert.Null(invoker.Calls.Single().Parameters!["execution"]!["RedriveTime"]);
        fail = false;
        var clock = new FakeTimeProvider(T0.AddMinutes(5));
        var second = await AslExecutor.RedriveAsync(StateMachineDefinition.Parse(def), first.Events, new ExecutionOptions { TaskInvoker = invoker, TimeProvider = clock, WaitScale = 0 });
        AssertSucceeded(second);
        Assert.Equal(1, second.Output!["execution"]!["RedriveCount"]!.GetValue<int>());
        Assert.Equal("2026-03-02T09:35:00.250Z", second.Output!["execution"]!["RedriveTime"]!.GetValue<string>());
    }
}
