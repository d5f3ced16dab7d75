using System.Text.Json.Nodes;

namespace StockFlow.Cli.Tests.AslConformance;

/// <summary><c>stockflow asl run</c> as users call it: mocks, parallel processes, nothing written without --data-dir.</summary>
public class AslRunCommandTests
{
    private const string RetryingTask = """
        {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
          "Parameters":{"FunctionName":"ingest","Payload.$":"$"},
          "Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException"],"IntervalSeconds":2,"MaxAttempts":3,"BackoffRate":2}],
          "OutputPath":"$.Payload","End":true}}}
        """;

    private const string Mocks = """
        {"StateMachines":{"retrying":{"TestCases":{"ThrottledTwice":{"Call":"Throttled"},"ThrottledForever":{"Call":"AlwaysThrottled"}}}},
         "MockedResponses":{
           "Throttled":{"0-1":{"Throw":{"Error":"Lambda.TooManyRequestsException","Cause":"Rate exceeded"}},"2":{"Return":{"StatusCode":200,"Payload":{"attempt":3}}}},
           "AlwaysThrottled":{"0-9":{"Throw":{"Error":"Lambda.TooManyRequestsException","Cause":"Rate exceeded"}}}}}
        """;

    [Fact]
    public async Task Mock_config_walks_numbered_responses_through_the_retry_loop()
    {
        var folder = Directory.CreateTempSubdirectory("stockflow-mock-");
        try
        {
            var definition = Path.Combine(folder.FullName, "retrying.asl.json");
            var mocks = Path.Combine(folder.FullName, "mocks.json");
            File.WriteAllText(definition, RetryingTask);
            File.WriteAllText(mocks, Mocks);

            var (code, stdout, _) = await Cli.RunAsync("asl", "run", definition, "--mock-config", mocks, "--test-case", "ThrottledTwice", "--history");
            Assert.Equal(0, code);
            var envelope = JsonNode.Parse(stdout)!;
            Assert.Equal("""{"attempt":3}""", envelope["output"]!.ToJsonString());
            var types = envelope["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToList();
            Assert.Equal(2, types.Count(t => t == "TaskFailed"));
            Assert.Equal(1, types.Count(t => t == "TaskSucceeded"));

            (code, stdout, _) = await Cli.RunAsync("asl", "run", definition, "--mock-config", mocks, "--test-case", "ThrottledForever");
            Assert.Equal(1, code);
            Assert.Equal("""{"status":"FAILED","error":"Lambda.TooManyRequestsException","cause":"Rate exceeded"}""", stdout.Trim());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_test_case_without_a_mock_config_is_refused()
    {
        var (code, stdout, _) = await Cli.RunAsync("asl", "run", "missing.asl.json", "--test-case", "T");
        Assert.NotEqual(0, code);
        Assert.DoesNotContain("SUCCEEDED", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eight_parallel_processes_all_succeed_and_write_nothing_to_the_working_folder()
    {
        var work = Directory.CreateTempSubdirectory("stockflow-parallel-");
        var definitions = Directory.CreateTempSubdirectory("stockflow-parallel-defs-");
        try
        {
            var definition = Path.Combine(definitions.FullName, "hello.asl.json");
            File.WriteAllText(definition, """{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"n.$":"$.n"},"End":true}}}""");
            var runs = Enumerable.Range(0, 8)
                .Select(i => StockFlowCli.RunProcessAsync(work.FullName, "asl", "run", definition, "--input", $$"""{"n":{{i}}}"""))
                .ToArray();
            var results = await Task.WhenAll(runs);
            for (var i = 0; i < results.Length; i++)
            {
                Assert.True(results[i].ExitCode == 0, results[i].StdErr);
                Assert.Equal("{\"status\":\"SUCCEEDED\",\"output\":{\"n\":" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}", results[i].StdOut.Trim());
            }

            Assert.Empty(work.EnumerateFileSystemInfos());
        }
        finally
        {
            work.Delete(recursive: true);
            definitions.Delete(recursive: true);
        }
    }
}
