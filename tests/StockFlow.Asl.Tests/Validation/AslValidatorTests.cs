using StockFlow.Asl.Validation;

namespace StockFlow.Asl.Tests.Validation;

public class AslValidatorTests
{
    private static IReadOnlyList<AslProblem> Check(string json) => AslValidator.Validate(json);

    /// <summary>Wraps states into a machine starting at the first one.</summary>
    private static IReadOnlyList<AslProblem> CheckStates(string start, string states) =>
        Check($$$"""{"StartAt":"{{{start}}}","States":{{{{states}}}}}""");

    private static void HasProblem(IReadOnlyList<AslProblem> problems, string pointer, string messagePart) =>
        Assert.True(
            problems.Any(p => p.Pointer == pointer && p.Message.Contains(messagePart, StringComparison.Ordinal)),
            $"expected a problem at '{pointer}' containing '{messagePart}', got:\n{string.Join("\n", problems)}");

    private const string ValidPipeline = """
        {
          "Comment": "crawl and wait",
          "StartAt": "Plan",
          "States": {
            "Plan": {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"Payload.$":"$"},
                     "ResultSelector":{"items.$":"$.Payload.items"},"ResultPath":"$.plan","Next":"Ingest",
                     "Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException"],"IntervalSeconds":2,"MaxAttempts":3,"BackoffRate":2.0,"JitterStrategy":"FULL"},
                              {"ErrorEquals":["States.ALL"],"MaxAttempts":1}],
                     "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Notify"}]},
            "Ingest": {"Type":"Map","ItemsPath":"$.plan.items","MaxConcurrency":4,"ToleratedFailurePercentage":50,
                       "ItemSelector":{"symbol.$":"$$.Map.Item.Value","index.$":"$$.Map.Item.Index"},
                       "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"One","States":{"One":{"Type":"Pass","End":true}}},
                       "ResultPath":"$.ingested","Next":"Any"},
            "Any": {"Type":"Choice","Choices":[{"Variable":"$.ingested[0]","IsPresent":true,"Next":"Crawl"}],"Default":"Nothing"},
            "Nothing": {"Type":"Fail","Error":"NothingIngested","Cause":"no symbol produced data"},
            "Crawl": {"Type":"Task","Resource":"arn:aws:states:::aws-sdk:glue:startCrawler","Parameters":{"Name":"c"},"ResultPath":null,"Next":"Wait"},
            "Wait": {"Type":"Wait","Seconds":30,"Next":"Poll"},
            "Poll": {"Type":"Task","Resource":"arn:aws:states:::aws-sdk:glue:getCrawler","Parameters":{"Name":"c"},"ResultPath":"$.crawler","Next":"Ready"},
            "Ready": {"Type":"Choice","Choices":[
                {"And":[{"Variable":"$.crawler.Crawler.State","StringEquals":"READY"},
                        {"Not":{"Variable":"$.crawler.Crawler.LastCrawl.Status","StringEquals":"FAILED"}}],"Next":"Analyze"}],
              "Default":"Wait"},
            "Analyze": {"Type":"Parallel","Branches":[{"StartAt":"Q","States":{"Q":{"Type":"Succeed"}}}],"ResultPath":"$.results","Next":"Done"},
            "Notify": {"Type":"Task","Resource":"arn:aws:states:::sns:publish","Parameters":{"Message.$":"States.Format('failed: {}', $.error.Cause)"},"Next":"Failed"},
            "Failed": {"Type":"Fail","ErrorPath":"$.error.Error","CausePath":"$.error.Cause"},
            "Done": {"Type":"Succeed"}
          }
        }
        """;

    [Fact]
    public void A_valid_definition_has_no_problems() => Assert.Empty(Check(ValidPipeline));

    [Fact]
    public void Invalid_json_is_reported_at_the_root()
    {
        var problem = Assert.Single(Check("{\"StartAt\": "));
        Assert.Equal("", problem.Pointer);
        Assert.Contains("not valid JSON", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_fields_are_reported_with_their_pointer() =>
        HasProblem(Check("""{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"End":false}}}"""), "/States/A/End", "more than once");

    [Fact]
    public void Non_object_definition() => HasProblem(Check("[1]"), "", "must be a JSON object");

    [Fact]
    public void Missing_StartAt_and_States_are_both_reported()
    {
        var problems = Check("{}");
        HasProblem(problems, "", "'StartAt'");
        HasProblem(problems, "", "'States'");
    }

    [Fact]
    public void StartAt_naming_an_unknown_state() =>
        HasProblem(CheckStates("Nope", """ "A":{"Type":"Succeed"} """), "/StartAt", "'Nope'");

    [Fact]
    public void Next_naming_an_unknown_state() =>
        HasProblem(CheckStates("A", """ "A":{"Type":"Pass","Next":"Ghost"} """), "/States/A/Next", "'Ghost'");

    [Fact]
    public void Unreachable_states_are_reported() =>
        HasProblem(CheckStates("A", """ "A":{"Type":"Succeed"},"Orphan":{"Type":"Succeed"} """), "/States/Orphan", "not reachable");

    [Fact]
    public void States_reached_only_through_catch_or_default_are_reachable() =>
        Assert.Empty(CheckStates("A", """
            "A":{"Type":"Task","Resource":"r","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"B"}]},
            "B":{"Type":"Choice","Choices":[{"Variable":"$.x","IsNull":true,"Next":"C"}],"Default":"D"},
            "C":{"Type":"Succeed"},"D":{"Type":"Succeed"}
            """));

    [Fact]
    public void State_without_Next_or_End() =>
        HasProblem(CheckStates("A", """ "A":{"Type":"Pass"} """), "/States/A", "'Next' or \"End\"");

    [Fact]
    public void Terminal_types_need_no_transition() =>
        Assert.Empty(CheckStates("A", """ "A":{"Type":"Choice","Choices":[{"Variable":"$.a","IsPresent":true,"Next":"B"}],"Default":"C"},"B":{"Type":"Succeed"},"C":{"Type":"Fail"} """));

    [Fact]
    public void End_together_with_Next() =>
        HasProblem(CheckStates("A", """ "A":{"Type":"Pass","Next":"B","End":true},"B":{"Type":"Succeed"} """), "/States/A", "both 'Next' and 'End'");

    [Fact]
    public void Choice_without_Choices() =>
        HasProblem(CheckStates("A", """ "A":{"Type":"Choice","Default":"B"},"B":{"Type":"Succeed"} """), "/States/A", "'Choices'");

    [Fact]
    public void Choice_rule_problems_have_pointers_into_the_rule()
    {
        var problems = CheckStates("A", """
            "A":{"Type":"Choice","Choices":[
                {"Variable":"$.a","NumericEquals":"1","Next":"B"},
                {"Variable":"$.a[","StringEquals":"x","Next":"B"},
                {"Variable":"$.a","Next":"B"},
                {"And":[{"Variable":"$.a","IsNull":true,"Next":"B"}],"Next":"B"},
                {"Variable":"$.a","StringEquals":"x","NumericEquals":1,"Next":"B"},
                {"Variable":"$.a","TimestampEquals":"yesterday","Next":"B"},
                {"Variable":"$.a","StringEqualsPath":"$..x","Next":"B"},
                {"Variable":"$.a","StringEquals":"x"},
                {"Variable":"$.a","IsString":"yes","Next":"B"}]},
            "B":{"Type":"Succeed"}
            """);
        HasProblem(problems, "/States/A/Choices/0/NumericEquals", "a number");
        HasProblem(problems, "/States/A/Choices/1/Variable", "Invalid JSONPath");
        HasProblem(problems, "/States/A/Choices/2", "exactly one comparison operator");
        HasProblem(problems, "/States/A/Choices/3/And/0/Next", "only allowed on a top-level");
        HasProblem(problems, "/States/A/Choices/4", "exactly one operator");
        HasProblem(problems, "/States/A/Choices/5/TimestampEquals", "RFC3339");
        HasProblem(problems, "/States/A/Choices/7", "'Next'");
        HasProblem(problems, "/States/A/Choices/8/IsString", "true or false");
        Assert.DoesNotContain(problems, p => p.Pointer.StartsWith("/States/A/Choices/6", StringComparison.Ordinal));
    }

    [Fact]
    public void Retry_entries_after_States_ALL() =>
        HasProblem(CheckStates("A", """
            "A":{"Type":"Task","Resource":"r","End":true,"Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}]}
            """), "/States/A/Retry/0/ErrorEquals", "must be the last");

    [Fact]
    public void States_ALL_not_alone_in_Catch() =>
        HasProblem(CheckStates("A", """
            "A":{"Type":"Task","Resource":"r","End":true,"Catch":[{"ErrorEquals":["States.ALL","X"],"Next":"B"}]},"B":{"Type":"Succeed"}
            """), "/States/A/Catch/0/ErrorEquals", "alone");

    [Fact]
    public void States_ALL_not_last_in_Catch() =>
        HasProblem(CheckStates("A", """
            "A":{"Type":"Task","Resource":"r","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"B"},{"ErrorEquals":["X"],"Next":"B"}]},"B":{"Type":"Succeed"}
            """), "/States/A/Catch/0/ErrorEquals", "must be the last");

    [Fact]
    public void Retry_field_values_are_checked()
    {
        var problems = CheckStates("A", """
            "A":{"Type":"Task","Resource":"r","End":true,"Retry":[{"ErrorEquals":[],"IntervalSeconds":0,"MaxAttempts":-1,"BackoffRate":0.5,"JitterStrategy":"SOME","Foo":1}]}
            """);
        HasProblem(problems, "/States/A/Retry/0/ErrorEquals", "must not be empty");
        HasProblem(problems, "/States/A/Retry/0/IntervalSeconds", "positive integer");
        HasProblem(problems, "/States/A/Retry/0/MaxAttempts", ">= 0");
        HasProblem(problems, "/States/A/Retry/0/BackoffRate", ">= 1.0");
        HasProblem(problems, "/States/A/Retry/0/JitterStrategy", "FULL");
        HasProblem(problems, "/States/A/Retry/0/Foo", "not allowed");
    }

    [Fact]
    public void Catch_needs_Next_and_a_reference_ResultPath()
    {
        var problems = CheckStates("A", """
            "A":{"Type":"Task","Resource":"r","End":true,"Catch":[{"ErrorEquals":["X"],"ResultPath":"$.e[*]"}]}
            """);
        HasProblem(problems, "/States/A/Catch/0", "'Next'");
        HasProblem(problems, "/States/A/Catch/0/ResultPath", "Reference Path");
    }

    [Fact]
    public void Path_fields_are_checked_for_syntax_and_reference_paths()
    {
        var problems = CheckStates("A", """
            "A":{"Type":"Pass","InputPath":"$.a[","OutputPath":"foo","ResultPath":"$.items[*]","Next":"M"},
            "M":{"Type":"Map","ItemsPath":"$..x","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Succeed"}}},"End":true}
            """);
        HasProblem(problems, "/States/A/InputPath", "Invalid JSONPath");
        HasProblem(problems, "/States/A/OutputPath", "must start with '$'");
        HasProblem(problems, "/States/A/ResultPath", "Reference Path");
        HasProblem(problems, "/States/M/ItemsPath", "Reference Path");
    }

    [Fact]
    public void ResultPath_cannot_target_the_context_or_a_variable()
    {
        var problems = CheckStates("A", """
            "A":{"Type":"Pass","ResultPath":"$$.Execution","Next":"B"},
            "B":{"Type":"Pass","ResultPath":"$var.x","End":true}
            """);
        HasProblem(problems, "/States/A/ResultPath", "must start with '$.'");
        HasProblem(problems, "/States/B/ResultPath", "must start with '$.'");
    }

    [Fact]
    public void Null_paths_are_allowed() =>
        Assert.Empty(CheckStates("A", """ "A":{"Type":"Pass","InputPath":null,"OutputPath":null,"ResultPath":null,"End":true} """));

    [Fact]
    public void Template_values_are_checked_recursively()
    {
        var problems = CheckStates("A", """
            "A":{"Type":"Task","Resource":"r","End":true,
                 "Parameters":{"ok.$":"$.a","bad.$":"$.a[","nested":{"deep.$":"States.Nope()"},"list":[{"n.$":1}]},
                 "ResultSelector":{"f.$":"States.Format('{}'"}}
            """);
        HasProblem(problems, "/States/A/Parameters/bad.$", "Invalid JSONPath");
        HasProblem(problems, "/States/A/Parameters/nested/deep.$", "unknown intrinsic function");
        HasProblem(problems, "/States/A/Parameters/list/0/n.$", "must be a path");
        HasProblem(problems, "/States/A/ResultSelector/f.$", "missing ')'");
        Assert.DoesNotContain(problems, p => p.Pointer.EndsWith("ok.$", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_fields_and_wrong_types_per_state_type()
    {
        var problems = CheckStates("A", """
            "A":{"Type":"Pass","Resource":"r","Bogus":1,"Next":"B"},
            "B":{"Type":"Task","End":"yes","Parameters":[1]},
            "C":{"Type":"Nope"}
            """);
        HasProblem(problems, "/States/A/Resource", "not allowed in a Pass state");
        HasProblem(problems, "/States/A/Bogus", "not allowed");
        HasProblem(problems, "/States/B", "'Resource'");
        HasProblem(problems, "/States/B/End", "boolean");
        HasProblem(problems, "/States/B/Parameters", "must be an object");
        HasProblem(problems, "/States/C/Type", "Unknown state type");
    }

    [Fact]
    public void A_jsonata_definition_is_valid()
    {
        var problems = Check("""
            {"QueryLanguage":"JSONata","StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"n":"{% $states.input.n %}"},"Output":"{% $states.input %}","Next":"B"},
              "B":{"Type":"Choice","Choices":[{"Condition":"{% $n > 1 %}","Next":"M","Output":{"x":1}}],"Default":"W"},
              "M":{"Type":"Map","Items":"{% [1..$n] %}","ItemSelector":{"v":"{% $states.context.Map.Item.Value %}"},"MaxConcurrency":"{% $n %}",
                   "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},
                   "Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% $states.errorOutput %}","Next":"W"}],"Next":"W"},
              "W":{"Type":"Wait","Seconds":"{% 1 %}","Next":"T"},
              "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"FunctionName":"f"},"TimeoutSeconds":"{% 30 %}","Next":"F"},
              "F":{"Type":"Fail","Error":"{% 'E' %}","Cause":"plain"}}}
            """);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Jsonpath_fields_in_a_jsonata_state_are_reported_with_what_replaces_them()
    {
        var problems = Check("""
            {"QueryLanguage":"JSONata","StartAt":"A","States":{
              "A":{"Type":"Task","Resource":"r","Parameters":{"a.$":"$.a"},"ResultSelector":{},"ResultPath":"$.r","InputPath":"$","OutputPath":"$","Next":"B"},
              "B":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},
                   "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.e","Next":"C"}],"Next":"C"},
              "C":{"Type":"Choice","Choices":[{"Variable":"$.a","StringEquals":"x","Next":"D"}],"Default":"D"},
              "D":{"Type":"Fail","ErrorPath":"$.e"}}}
            """);
        HasProblem(problems, "/States/A/Parameters", "use 'Arguments'");
        HasProblem(problems, "/States/A/ResultSelector", "QueryLanguage is JSONata");
        HasProblem(problems, "/States/A/ResultPath", "QueryLanguage is JSONata");
        HasProblem(problems, "/States/A/InputPath", "QueryLanguage is JSONata");
        HasProblem(problems, "/States/A/OutputPath", "use 'Output'");
        HasProblem(problems, "/States/B/ItemsPath", "use 'Items'");
        HasProblem(problems, "/States/B/Catch/0/ResultPath", "QueryLanguage is JSONata");
        HasProblem(problems, "/States/C/Choices/0/Variable", "'Condition'");
        HasProblem(problems, "/States/C/Choices/0/StringEquals", "'Condition'");
        HasProblem(problems, "/States/C/Choices/0", "Missing required field 'Condition'");
        HasProblem(problems, "/States/D/ErrorPath", "use 'Error'");
    }

    [Fact]
    public void Jsonata_fields_in_a_jsonpath_state_are_reported()
    {
        var problems = CheckStates("A", """
            "A":{"Type":"Pass","Output":"{% 1 %}","Next":"B"},
            "B":{"Type":"Choice","Choices":[{"Condition":"{% true %}","Next":"C"}]},
            "C":{"Type":"Task","Resource":"r","Arguments":{},"End":true}
            """);
        HasProblem(problems, "/States/A/Output", "\"QueryLanguage\": \"JSONata\"");
        HasProblem(problems, "/States/B/Choices/0/Condition", "JSONata");
        HasProblem(problems, "/States/C/Arguments", "JSONata");
    }

    [Fact]
    public void A_jsonpath_state_in_a_jsonata_machine_and_bad_expressions_are_reported()
    {
        var problems = Check("""
            {"QueryLanguage":"JSONata","StartAt":"A","States":{
              "A":{"Type":"Pass","QueryLanguage":"JSONPath","Next":"B"},
              "B":{"Type":"Pass","Output":{"x":"{% 1 + %}","y":"{% $a"},"Next":"C"},
              "C":{"Type":"Wait","Seconds":-1,"Next":"D"},
              "D":{"Type":"Pass","QueryLanguage":"XPath","End":true}}}
            """);
        HasProblem(problems, "/States/A/QueryLanguage", "cannot contain JSONPath states");
        HasProblem(problems, "/States/B/Output/x", "The JSONata expression '1 +' is not valid");
        HasProblem(problems, "/States/B/Output/y", "does not end with '%}'");
        HasProblem(problems, "/States/C/Seconds", "an integer from 0");
        HasProblem(problems, "/States/D/QueryLanguage", "must be \"JSONPath\" or \"JSONata\"");
    }

    [Fact]
    public void Jsonpath_states_may_opt_into_jsonata_one_by_one()
    {
        var problems = CheckStates("A", """
            "A":{"Type":"Pass","QueryLanguage":"JSONata","Output":{"a":"{% $states.input.a %}"},"Next":"B"},
            "B":{"Type":"Pass","Parameters":{"a.$":"$.a"},"End":true}
            """);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Timeout_and_heartbeat_rules()
    {
        var problems = CheckStates("A", """
            "A":{"Type":"Task","Resource":"r","TimeoutSeconds":0,"HeartbeatSeconds":1.5,"Next":"B"},
            "B":{"Type":"Task","Resource":"r","TimeoutSeconds":10,"HeartbeatSeconds":10,"Next":"C"},
            "C":{"Type":"Task","Resource":"r","HeartbeatSeconds":60,"End":true}
            """);
        HasProblem(problems, "/States/A/TimeoutSeconds", "positive integer");
        HasProblem(problems, "/States/A/HeartbeatSeconds", "positive integer");
        HasProblem(problems, "/States/B/HeartbeatSeconds", "smaller than 'TimeoutSeconds' (10)");
        HasProblem(problems, "/States/C/HeartbeatSeconds", "the default");
    }

    [Fact]
    public void Wait_needs_exactly_one_duration()
    {
        var problems = CheckStates("A", """
            "A":{"Type":"Wait","Next":"B"},
            "B":{"Type":"Wait","Seconds":1,"SecondsPath":"$.s","Next":"C"},
            "C":{"Type":"Wait","Timestamp":"tomorrow","Next":"D"},
            "D":{"Type":"Wait","Seconds":-1,"End":true}
            """);
        HasProblem(problems, "/States/A", "exactly one of");
        HasProblem(problems, "/States/B", "but has Seconds, SecondsPath");
        HasProblem(problems, "/States/C/Timestamp", "RFC3339");
        HasProblem(problems, "/States/D/Seconds", "non-negative");
    }

    [Fact]
    public void Fail_takes_Error_or_ErrorPath_not_both() =>
        HasProblem(CheckStates("A", """ "A":{"Type":"Fail","Error":"E","ErrorPath":"$.e","Cause":"c","CausePath":"$.c"} """),
            "/States/A", "'Error' and 'ErrorPath'");

    [Fact]
    public void Fail_paths_may_be_intrinsics() =>
        Assert.Empty(CheckStates("A", """ "A":{"Type":"Fail","ErrorPath":"$.e","CausePath":"States.Format('bad {}', $.x)"} """));

    [Fact]
    public void Map_limits()
    {
        var problems = CheckStates("A", """
            "A":{"Type":"Map","MaxConcurrency":-1,"ToleratedFailurePercentage":101,"End":true,
                 "Iterator":{"StartAt":"P","States":{"P":{"Type":"Succeed"}}},
                 "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Succeed"}}}}
            """);
        HasProblem(problems, "/States/A/MaxConcurrency", ">= 0");
        HasProblem(problems, "/States/A/ToleratedFailurePercentage", "0 to 100");
        HasProblem(problems, "/States/A", "both 'ItemProcessor' and 'Iterator'");
    }

    [Fact]
    public void Map_needs_a_processor() =>
        HasProblem(CheckStates("A", """ "A":{"Type":"Map","End":true} """), "/States/A", "needs 'ItemProcessor'");

    [Fact]
    public void Nested_machines_are_validated_with_pointers_inside_them()
    {
        var problems = CheckStates("M", """
            "M":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"SIDEWAYS"},"StartAt":"X","States":{"X":{"Type":"Pass","Next":"Gone"},"Y":{"Type":"Succeed"}}},"Next":"P"},
            "P":{"Type":"Parallel","Branches":[{"StartAt":"Ok","States":{"Ok":{"Type":"Succeed"}}},{"StartAt":"Bad","States":{"Bad":{"Type":"Task","End":true}}}],"End":true}
            """);
        HasProblem(problems, "/States/M/ItemProcessor/ProcessorConfig/Mode", "INLINE");
        HasProblem(problems, "/States/M/ItemProcessor/States/X/Next", "'Gone'");
        HasProblem(problems, "/States/M/ItemProcessor/States/Y", "not reachable");
        HasProblem(problems, "/States/P/Branches/1/States/Bad", "'Resource'");
    }

    [Fact]
    public void Nested_machine_cannot_jump_to_outer_states() =>
        HasProblem(CheckStates("P", """
            "P":{"Type":"Parallel","Branches":[{"StartAt":"In","States":{"In":{"Type":"Pass","Next":"Out"}}}],"Next":"Out"},
            "Out":{"Type":"Succeed"}
            """), "/States/P/Branches/0/States/In/Next", "'Out'");

    [Fact]
    public void Parallel_needs_branches() =>
        HasProblem(CheckStates("P", """ "P":{"Type":"Parallel","Branches":[],"End":true} """), "/States/P/Branches", "must not be empty");

    [Fact]
    public void Pointers_escape_slash_and_tilde_in_state_names() =>
        HasProblem(CheckStates("a/b~c", """ "a/b~c":{"Type":"Pass"} """), "/States/a~1b~0c", "'Next'");

    [Fact]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var problems = CheckStates("A", """
            "A":{"Type":"Pass","Next":"Ghost"},
            "B":{"Type":"Task","End":true}
            """);
        Assert.True(problems.Count >= 3, string.Join("\n", problems));
    }

    [Fact]
    public void State_names_longer_than_80_characters()
    {
        var name = new string('s', 81);
        HasProblem(CheckStates(name, $$""" "{{name}}":{"Type":"Succeed"} """), $"/States/{name}", "longer than 80");
    }

    private const string DistributedProcessor = """
        "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}
        """;

    [Fact]
    public void JSONata_Distributed_Map_accepts_Arguments_expressions_and_WriterConfig()
    {
        var problems = Check("""
            {"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map",
              "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW","MaxItems":"{% $states.input.n %}"},
                            "Arguments":{"Bucket":"{% $states.input.bucket %}","Key":"data.csv"}},
              "ItemBatcher":{"MaxItemsPerBatch":"{% $states.input.batch %}","MaxInputBytesPerBatch":1024,"BatchInput":"{% {'day': $states.input.day} %}"},
              "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Arguments":"{% {'Bucket': $states.input.bucket, 'Prefix': 'out'} %}",
                              "WriterConfig":{"Transformation":"FLATTEN","OutputType":"JSONL"}},
            """ + DistributedProcessor + ""","End":true}}}""");
        Assert.Empty(problems);
        Assert.Empty(Check("""{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","ResultWriter":{"WriterConfig":{"Transformation":"COMPACT"}},""" + DistributedProcessor + ""","End":true}}}"""));
    }

    [Fact]
    public void JSONata_Distributed_Map_refuses_the_JSONPath_forms()
    {
        var problems = Check("""
            {"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map",
              "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"MaxItemsPath":"$.n","MaxItems":"{% 1 + %}"},
                            "Parameters":{"Bucket.$":"$.bucket","Key":"data.csv"}},
              "ItemBatcher":{"MaxItemsPerBatchPath":"$.batch","MaxInputBytesPerBatch":0},
              "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b"},"WriterConfig":{"Transformation":"SQUASH"}},
            """ + DistributedProcessor + ""","End":true}}}""");
        HasProblem(problems, "/States/M/ItemReader/Parameters", "use 'Arguments'");
        HasProblem(problems, "/States/M/ItemReader/ReaderConfig/MaxItemsPath", "use 'MaxItems' with an expression");
        HasProblem(problems, "/States/M/ItemReader/ReaderConfig/MaxItems", "The JSONata expression '1 +' is not valid");
        HasProblem(problems, "/States/M/ItemBatcher/MaxItemsPerBatchPath", "use 'MaxItemsPerBatch' with an expression");
        HasProblem(problems, "/States/M/ItemBatcher/MaxInputBytesPerBatch", "from 1 to 262144");
        HasProblem(problems, "/States/M/ResultWriter/Parameters", "QueryLanguage is JSONata");
        HasProblem(problems, "/States/M/ResultWriter", "needs WriterConfig, Resource with Arguments, or all three");
        HasProblem(problems, "/States/M/ResultWriter/WriterConfig/Transformation", "NONE, COMPACT, FLATTEN");
    }

    [Fact]
    public void JSONPath_Distributed_Map_refuses_Arguments_and_checks_its_reader_batcher_and_writer()
    {
        var problems = Check("""
            {"StartAt":"M","States":{"M":{"Type":"Map",
              "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"XML","MaxItems":-1},
                            "Arguments":{"Bucket":"b","Key":"k"}},
              "ItemBatcher":{"BatchInput":{"a.$":"$..["}},
              "ResultWriter":{"Parameters":{"Bucket":"b"}},
            """ + DistributedProcessor + ""","End":true}}}""");
        HasProblem(problems, "/States/M/ItemReader/Arguments", "belongs to JSONata states");
        HasProblem(problems, "/States/M/ItemReader/ReaderConfig/InputType", "CSV, JSON, JSONL, MANIFEST");
        HasProblem(problems, "/States/M/ItemReader/ReaderConfig/MaxItems", "an integer >= 0");
        HasProblem(problems, "/States/M/ItemBatcher", "needs MaxItemsPerBatch or MaxItemsPerBatchPath");
        HasProblem(problems, "/States/M/ResultWriter", "needs WriterConfig, Resource with Parameters, or all three");
    }
}
