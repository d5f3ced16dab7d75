using System.Diagnostics;
using System.Text.Json.Nodes;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.EndToEnd.Tests;

/// <summary>`stockflow executions`, `rerun` and `stop` as a user calls them.</summary>
public sealed class ExecutionCommandTests : IDisposable
{
    private readonly TestDataDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Executions_list_show_and_history_describe_a_recorded_run_as_step_functions_does()
    {
        var dataDir = Path.Combine(_temp.Path, "data");
        var definition = WriteDefinition("""
            {"StartAt":"Greet","States":{
              "Greet":{"Type":"Pass","Parameters":{"greeting.$":"States.Format('hello {}', $.name)"},"Next":"Done"},
              "Done":{"Type":"Succeed"}}}
            """);
        var run = await CliProcess.RunAsync("asl", "run", definition, "--input", """{"name":"ada"}""", "--name", "first", "--data-dir", dataDir);
        Assert.True(run.ExitCode == 0, run.StdOut + run.StdErr);
        Assert.Equal("""{"status":"SUCCEEDED","output":{"greeting":"hello ada"}}""", run.StdOut.Trim());

        var list = JsonNode.Parse((await CliProcess.RunAsync("executions", "list", "--json", "--data-dir", dataDir)).StdOut)!.AsArray();
        var listed = Assert.Single(list)!;
        Assert.Equal("first", listed["name"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", listed["status"]!.GetValue<string>());

        var show = JsonNode.Parse((await CliProcess.RunAsync("executions", "show", "first", "--json", "--data-dir", dataDir)).StdOut)!;
        Assert.Equal("""{"greeting":"hello ada"}""", show["output"]!.GetValue<string>());

        var history = JsonNode.Parse((await CliProcess.RunAsync("executions", "history", "first", "--json", "--data-dir", dataDir)).StdOut)!["events"]!.AsArray();
        Assert.Equal(
            ["ExecutionStarted", "PassStateEntered", "PassStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"],
            history.Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), history.Select(e => e!["id"]!.GetValue<long>()));
        Assert.Equal("Greet", history[1]!["stateEnteredEventDetails"]!["name"]!.GetValue<string>());

        // Rerun with edited input: a new execution, same definition.
        var rerun = await CliProcess.RunAsync("rerun", "first", "--input", """{"name":"grace"}""", "--data-dir", dataDir);
        Assert.True(rerun.ExitCode == 0, rerun.StdOut + rerun.StdErr);
        using var store = new ExecutionStore(new DataDirectory(dataDir).ExecutionsDatabase);
        var newest = store.List()[0];
        Assert.NotEqual("first", newest.Name);
        Assert.Contains("grace", store.Find(newest.Name)!.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_aborts_a_running_execution_from_another_process()
    {
        var dataDir = Path.Combine(_temp.Path, "data");
        var definition = WriteDefinition("""{"StartAt":"Sleep","States":{"Sleep":{"Type":"Wait","Seconds":120,"End":true}}}""");
        using var process = Process.Start(CliProcess.StartInfo("asl", "run", definition, "--name", "sleeper", "--wait-scale", "1", "--data-dir", dataDir))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var databasePath = new DataDirectory(dataDir).ExecutionsDatabase;
        var waited = Stopwatch.StartNew();
        while (!(File.Exists(databasePath) && HasEvent(databasePath, "WaitStateEntered")))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), "the execution never reached its Wait state");
            await Task.Delay(50);
        }

        var stop = await CliProcess.RunAsync("stop", "sleeper", "--data-dir", dataDir);
        Assert.True(stop.ExitCode == 0, stop.StdOut + stop.StdErr);
        await process.WaitForExitAsync();

        Assert.Equal(1, process.ExitCode);
        Assert.Equal("ABORTED", JsonNode.Parse(await stdout)!["status"]!.GetValue<string>());
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(100));
        using var store = new ExecutionStore(databasePath);
        Assert.Equal("ABORTED", store.Find("sleeper")!.Summary.Status);
    }

    [Fact]
    public async Task Test_state_runs_one_state_with_a_mocked_result_and_shows_each_step()
    {
        var state = """
            {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
             "Parameters":{"FunctionName":"f","Payload.$":"$.order"},
             "ResultSelector":{"total.$":"$.Payload.total"},
             "ResultPath":"$.priced","Next":"Ship"}
            """;
        var run = await CliProcess.RunAsync("asl", "test-state", "--definition", state,
            "--input", """{"order":{"id":7}}""", "--mock-result", """{"Payload":{"total":42},"StatusCode":200}""");
        Assert.True(run.ExitCode == 0, run.StdOut + run.StdErr);
        var result = JsonNode.Parse(run.StdOut)!;
        Assert.Equal("SUCCEEDED", result["status"]!.GetValue<string>());
        Assert.Equal("Ship", result["nextState"]!.GetValue<string>());
        Assert.Equal("""{"order":{"id":7},"priced":{"total":42}}""", result["output"]!.GetValue<string>());
        Assert.Equal("""{"FunctionName":"f","Payload":{"id":7}}""", result["inspectionData"]!["afterParameters"]!.GetValue<string>());
        Assert.Equal("""{"total":42}""", result["inspectionData"]!["afterResultSelector"]!.GetValue<string>());

        var failing = await CliProcess.RunAsync("asl", "test-state", "--definition", state, "--input", """{"order":{}}""", "--mock-error", "Boom", "--mock-cause", "it broke");
        Assert.Equal(1, failing.ExitCode);
        var failed = JsonNode.Parse(failing.StdOut)!;
        Assert.Equal("FAILED", failed["status"]!.GetValue<string>());
        Assert.Equal("Boom", failed["error"]!.GetValue<string>());
        Assert.Equal("it broke", failed["cause"]!.GetValue<string>());
    }

    private static bool HasEvent(string databasePath, string type)
    {
        using var store = new ExecutionStore(databasePath);
        return store.Find("sleeper") is { } e && store.GetEvents(e.Summary.ExecutionArn).Any(x => x.Type == type);
    }

    private string WriteDefinition(string json)
    {
        var path = Path.Combine(_temp.Path, Guid.NewGuid().ToString("N") + ".asl.json");
        File.WriteAllText(path, json);
        return path;
    }
}
