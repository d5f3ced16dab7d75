using StockFlow.Asl;
using StockFlow.Asl.Execution;
using static StockFlow.Asl.Tests.Interpreter.Asl;

namespace StockFlow.Asl.Tests.Interpreter;

/// <summary>
/// States.QueryEvaluationError as AWS words it, and the EvaluationFailed event AWS records (error, cause without the
/// state prefix, location = the field, state) when a JSONata expression of a state fails.
/// </summary>
public class JsonataErrorTests
{
    private static string Jsonata(string states, string start = "E") =>
        """{"QueryLanguage":"JSONata","StartAt":""" + "\"" + start + "\",\"States\":{" + states + "}}";

    [Fact]
    public async Task An_undefined_Output_records_EvaluationFailed_before_the_execution_fails()
    {
        var r = await Run(Jsonata("""  "E":{"Type":"Pass","Output":{"v":"{% $states.input.missing %}"},"End":true}  """), """{"present":1}""");
        Assert.Equal(StatesErrors.QueryEvaluationError, r.Error);
        const string bare = "The JSONata expression '$states.input.missing' specified for the field 'Output/v' returned nothing (undefined).";
        Assert.Equal("An error occurred while executing the state 'E' (entered at the event id #2). " + bare, r.Cause);
        Assert.Equal("ExecutionStarted,PassStateEntered,EvaluationFailed,ExecutionFailed", Types(r));
        var failed = r.Events.Single(e => e.Type == "EvaluationFailed");
        Assert.Equal(2, failed.PreviousEventId);
        AssertJson(
            $$"""{"cause":"{{bare}}","error":"States.QueryEvaluationError","location":"Output/v","state":"E"}""",
            failed.Body);
    }

    [Fact]
    public async Task A_retried_and_caught_expression_failure_records_one_EvaluationFailed_per_attempt()
    {
        var invoker = DelegateInvoker.Returning(_ => J("{}"));
        var r = await Run(
            Jsonata("""
                "E":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"n":"{% $number($states.input.n) %}"},
                     "Retry":[{"ErrorEquals":["States.QueryEvaluationError"],"MaxAttempts":1,"IntervalSeconds":1}],
                     "Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% $states.errorOutput.Error %}","Next":"Done"}],"Next":"Done"},
                "Done":{"Type":"Succeed"}
                """),
            """{"n":"seven"}""",
            invoker);
        AssertSucceeded(r);
        Assert.Empty(invoker.Calls);
        Assert.Equal("\"States.QueryEvaluationError\"", r.Output!.ToJsonString());
        var evaluations = r.Events.Where(e => e.Type == "EvaluationFailed").ToList();
        Assert.Equal(2, evaluations.Count);
        Assert.All(evaluations, e => Assert.Equal("Arguments/n", e.Body!["location"]!.GetValue<string>()));
        Assert.StartsWith("The JSONata expression '$number($states.input.n)' specified for the field 'Arguments/n' threw an error during evaluation. D3030:", evaluations[0].Body!["cause"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_inside_a_Map_iteration_is_recorded_once_by_the_state_that_failed()
    {
        var r = await Run(Jsonata("""
            "M":{"Type":"Map","Items":[1],"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Output":"{% $states.input.x %}","End":true}}},"End":true}
            """, "M"));
        Assert.Equal(StatesErrors.QueryEvaluationError, r.Error);
        var failed = Assert.Single(r.Events, e => e.Type == "EvaluationFailed");
        Assert.Equal("P", failed.Body!["state"]!.GetValue<string>());
        Assert.Equal("Output", failed.Body!["location"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"Type":"Map","Items":"{% $states.input.s %}","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}""",
        "The JSONata expression '$states.input.s' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'string' for value: \"abc\"", "Items")]
    [InlineData("""{"Type":"Choice","Choices":[{"Condition":"{% $states.input.n %}","Next":"Done"}]}""",
        "The JSONata expression '$states.input.n' specified for the field 'Choices[0]/Condition' returned an unexpected result type. Expected 'boolean', but was 'number' for value: 2", "Choices[0]/Condition")]
    [InlineData("""{"Type":"Wait","Seconds":"{% $states.input.s %}","Next":"Done"}""",
        "The JSONata expression '$states.input.s' specified for the field 'Seconds' returned an unexpected result type. Expected 'number', but was 'string' for value: \"abc\"", "Seconds")]
    [InlineData("""{"Type":"Fail","Error":"{% $states.input.o %}"}""",
        "The JSONata expression '$states.input.o' specified for the field 'Error' returned an unexpected result type. Expected 'string', but was 'object' for value: {\"k\":[1]}", "Error")]
    public async Task A_value_of_the_wrong_type_is_worded_as_AWS_words_it(string state, string cause, string location)
    {
        var r = await Run(Jsonata("\"E\":" + state + ""","Done":{"Type":"Succeed"}"""), """{"s":"abc","n":2,"o":{"k":[1]}}""");
        Assert.Equal(StatesErrors.QueryEvaluationError, r.Error);
        Assert.EndsWith(cause, r.Cause, StringComparison.Ordinal);
        var failed = Assert.Single(r.Events, e => e.Type == "EvaluationFailed");
        Assert.Equal(location, failed.Body!["location"]!.GetValue<string>());
        Assert.Equal(cause, failed.Body!["cause"]!.GetValue<string>());
    }

    [Fact]
    public async Task JSONPath_states_and_a_Fail_states_own_error_record_no_EvaluationFailed()
    {
        var jsonPath = await Run("""{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.missing","End":true}}}""");
        Assert.Equal(StatesErrors.Runtime, jsonPath.Error);
        Assert.DoesNotContain(jsonPath.Events, e => e.Type == "EvaluationFailed");

        var fail = await Run(Jsonata("""  "E":{"Type":"Fail","Error":"Custom","Cause":"{% 'because ' & $states.input.why %}"}  """), """{"why":"no"}""");
        Assert.Equal("Custom", fail.Error);
        Assert.Equal("because no", fail.Cause);
        Assert.DoesNotContain(fail.Events, e => e.Type == "EvaluationFailed");
    }
}
