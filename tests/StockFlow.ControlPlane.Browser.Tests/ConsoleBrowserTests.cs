using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using StockFlow.ControlPlane.Scheduling;

namespace StockFlow.ControlPlane.Browser.Tests;

/// <summary>What a user does in the console, in a real (headless) Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleBrowserTests(BrowserFixture fixture)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_run_started_from_the_page_finishes_and_shows_its_graph_and_report()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await page.ClickAsync("#start-card summary");
        await page.FillAsync("#start-input", """{"provider":"sample","symbols":["AAPL","MSFT","NVDA"]}""");
        await page.ClickAsync("#start-button");
        await page.WaitForURLAsync(new Regex("/executions/stockflow-pipeline/run-"));

        // The page polls while the execution runs and reloads when it ends.
        await page.WaitForSelectorAsync("h1#execution[data-status=SUCCEEDED]", new PageWaitForSelectorOptions { Timeout = (float)RunTimeout.TotalMilliseconds });
        Assert.Equal(1, await page.Locator("#graph g.state-succeeded[data-state=Report]").CountAsync());
        Assert.Equal(1, await page.Locator("#graph g.state-notrun[data-state=PipelineFailed]").CountAsync());
        Assert.True(await page.Locator("#graph g[data-state=IngestSymbols] g[data-state]").CountAsync() >= 1, "the Map's inner states are drawn inside it");
        Assert.True(await page.Locator("#timeline rect.gantt-bar").CountAsync() >= 5);
        Assert.True(await page.Locator("#events tbody tr").CountAsync() >= 10);
        await fixture.ScreenshotAsync(page, "execution");
        await fixture.ScreenshotAsync(page, "execution-graph", "#graph svg");
        await fixture.ScreenshotAsync(page, "execution-timeline", "#timeline");

        await page.ClickAsync("#report-link");
        await page.WaitForURLAsync(new Regex("/reports/run-[^/]+/index.html$"));
        await page.WaitForSelectorAsync(".js-plotly-plot", new PageWaitForSelectorOptions { Timeout = 60_000 });
        Assert.True(await page.Locator(".js-plotly-plot").CountAsync() >= 3, "the report draws its charts offline");
        await fixture.ScreenshotAsync(page, "report");

        await page.GotoAsync("/");
        await page.WaitForSelectorAsync("#executions tbody tr[data-status=SUCCEEDED]");
        await fixture.ScreenshotAsync(page, "executions");
        await page.GotoAsync("/catalog");
        Assert.True(await page.Locator("#tables tbody tr a").CountAsync() >= 1);
        await page.ClickAsync("#tables tbody tr a >> text=daily_metrics");
        await page.WaitForSelectorAsync("#columns");
        await fixture.ScreenshotAsync(page, "catalog");
    }

    [Fact]
    public async Task A_failed_execution_is_redriven_from_its_page()
    {
        // A one-state machine around the plan function: with nothing in landing/ it fails; once a CSV landed it succeeds.
        var machine = (await fixture.ApiAsync("CreateStateMachine", new JsonObject
        {
            ["name"] = "plan-landing",
            ["roleArn"] = "arn:aws:iam::000000000000:role/test",
            ["definition"] = """
                {"StartAt":"Plan","States":{"Plan":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                  "Parameters":{"FunctionName":"${PlanFunctionArn}","Payload":{"request":{"provider":"csv"},"executionName.$":"$$.Execution.Name","bucket":"${LakeBucket}"}},
                  "End":true}}}
                """,
        }))["stateMachineArn"]!.GetValue<string>();
        var landing = Path.Combine(fixture.DataDir, "lake", "stockflow-lake", "landing");
        if (Directory.Exists(landing))
        {
            Directory.Delete(landing, recursive: true);
        }

        var arn = (await fixture.ApiAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machine, ["name"] = "needs-landing" }))["executionArn"]!.GetValue<string>();
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/executions/plan-landing/needs-landing");
        await page.WaitForSelectorAsync("h1#execution[data-status=FAILED]");
        Assert.Equal(1, await page.Locator("#graph g.state-failed[data-state=Plan]").CountAsync());
        Assert.Contains("landing/", await page.InnerTextAsync("#events"), StringComparison.Ordinal);
        await fixture.ScreenshotAsync(page, "failed-execution");

        Directory.CreateDirectory(landing);
        await File.WriteAllTextAsync(Path.Combine(landing, "ACME.csv"), "Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,10,11,9,10.5,10.5,1000\n");
        await page.ClickAsync("#redrive");
        await page.WaitForSelectorAsync("h1#execution[data-status=SUCCEEDED]", new PageWaitForSelectorOptions { Timeout = 60_000 });
        Assert.Equal(1, await page.Locator("#graph g.state-succeeded[data-state=Plan]").CountAsync());
        Assert.Contains("ExecutionRedriven", await page.InnerTextAsync("#events"), StringComparison.Ordinal);
        var described = await fixture.ApiAsync("DescribeExecution", new JsonObject { ["executionArn"] = arn });
        Assert.Equal(1, described["redriveCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_query_runs_in_the_editor_and_its_result_is_shown()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/query");
        await page.FillAsync("#sql", "SELECT 41 + 1 AS answer, '<b>bold</b>' AS markup");
        await page.ClickAsync("#run-query");
        await page.WaitForSelectorAsync("#results");
        Assert.Equal("42", await page.InnerTextAsync("#results tbody tr td:nth-child(1)"));
        Assert.Equal("<b>bold</b>", await page.InnerTextAsync("#results tbody tr td:nth-child(2)"));
        Assert.Equal(0, await page.Locator("#results b").CountAsync());
        await fixture.ScreenshotAsync(page, "query");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-csv"));
        var path = await download.PathAsync();
        Assert.StartsWith("answer,markup", await File.ReadAllTextAsync(path!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schedules_page_shows_the_next_fire_time()
    {
        var expected = ScheduleDefinition.FromJson(new JsonObject { ["Name"] = "x", ["Cron"] = BrowserFixture.ScheduleCron, ["TimeZone"] = BrowserFixture.ScheduleZone })
            .Upcoming(DateTimeOffset.UtcNow, 1)[0];
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/schedules");
        var row = page.Locator("tr[data-schedule=nightly-pipeline]");
        Assert.Equal(expected.ToString("ddd yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture), await row.Locator(".next-fire").InnerTextAsync());
        Assert.Contains("America/New_York", await row.InnerTextAsync(), StringComparison.Ordinal);
        await fixture.ScreenshotAsync(page, "schedules");
    }
}
