using System.Text.Json.Nodes;

namespace StockFlow.ControlPlane.Tests;

/// <summary>
/// The map-run operations against a real pipeline run: the pipeline's ingest is a DISTRIBUTED Map, so a run started
/// through the API has a Map Run that ListMapRuns, DescribeMapRun and ListExecutions (by mapRunArn) answer for, and the
/// execution's page shows with its child executions.
/// </summary>
public sealed class PipelineMapRunTests(FastServerFixture server) : IClassFixture<FastServerFixture>
{
    private const string Pipeline = "arn:aws:states:us-east-1:000000000000:stateMachine:stockflow-pipeline";

    [Fact]
    public async Task A_pipeline_run_has_its_ingest_Map_Run_in_the_API_and_on_its_page()
    {
        var started = await server.OkAsync("StartExecution", new JsonObject
        {
            ["stateMachineArn"] = Pipeline,
            ["name"] = "map-run-1",
            ["input"] = """{"provider":"sample","symbols":["AAPL","MSFT","KO"],"from":"2024-01-02","to":"2024-03-28"}""",
        });
        var executionArn = started["executionArn"]!.GetValue<string>();
        var finished = await server.WaitForEndAsync(executionArn, TimeSpan.FromMinutes(3));
        Assert.True(finished["status"]!.GetValue<string>() == "SUCCEEDED", finished.ToJsonString());

        var mapRuns = (await server.OkAsync("ListMapRuns", new JsonObject { ["executionArn"] = executionArn }))["mapRuns"]!.AsArray();
        var listed = Assert.Single(mapRuns)!.AsObject();
        var mapRunArn = listed["mapRunArn"]!.GetValue<string>();
        Assert.Equal(executionArn, listed["executionArn"]!.GetValue<string>());
        Assert.StartsWith("arn:aws:states:us-east-1:000000000000:mapRun:stockflow-pipeline/IngestSymbols:", mapRunArn, StringComparison.Ordinal); // AWS: mapRun:<machine>/<Map state label>:<id>

        var described = await server.OkAsync("DescribeMapRun", new JsonObject { ["mapRunArn"] = mapRunArn });
        Assert.Equal("SUCCEEDED", described["status"]!.GetValue<string>());
        Assert.Equal(executionArn, described["executionArn"]!.GetValue<string>());
        var executions = described["executionCounts"]!.AsObject();
        Assert.True(executions["total"]!.GetValue<long>() >= 1, described.ToJsonString());
        Assert.Equal(executions["total"]!.GetValue<long>(), executions["succeeded"]!.GetValue<long>());
        Assert.Equal(0, executions["failed"]!.GetValue<long>());
        Assert.Equal(0, executions["running"]!.GetValue<long>());
        var items = described["itemCounts"]!.AsObject();
        Assert.Equal(3, items["total"]!.GetValue<long>()); // one item per symbol, batched into the child executions
        Assert.Equal(3, items["succeeded"]!.GetValue<long>());
        Assert.NotNull(described["startDate"]);
        Assert.NotNull(described["stopDate"]);

        var children = (await server.OkAsync("ListExecutions", new JsonObject { ["mapRunArn"] = mapRunArn }))["executions"]!.AsArray();
        Assert.Equal(executions["total"]!.GetValue<long>(), children.Count);
        Assert.All(children, c => Assert.Equal("SUCCEEDED", c!["status"]!.GetValue<string>()));
        Assert.All(children, c => Assert.Equal(mapRunArn, c!["mapRunArn"]!.GetValue<string>()));

        var page = await server.Http.GetStringAsync(new Uri("executions/stockflow-pipeline/map-run-1", UriKind.Relative));
        Assert.Contains("Distributed Map runs", page, StringComparison.Ordinal);
        Assert.Contains(mapRunArn, page, StringComparison.Ordinal);
        Assert.Contains("3 item(s): 3 succeeded, 0 failed", page, StringComparison.Ordinal);

        // The local transform job leaves its statistics where the Glue job does, and the run's report shows them.
        var lake = Path.Combine(server.DataDir, "lake", "stockflow-lake");
        var statistics = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(lake, "runs", "map-run-1", "transform", "statistics.json")))!;
        Assert.True(statistics["rowsWritten"]!.GetValue<long>() > 0, statistics.ToJsonString());
        var report = await File.ReadAllTextAsync(Path.Combine(lake, "reports", "map-run-1", "index.html"));
        Assert.Contains("<section id=\"transform\"><h2>Transform</h2>", report, StringComparison.Ordinal);
    }
}
