using System.Text.Json.Nodes;
using Microsoft.Playwright;
using StockFlow.ControlPlane.Hosting;

namespace StockFlow.ControlPlane.Browser.Tests;

/// <summary>
/// The executions list and the execution page follow a running execution as it changes, pushed by
/// Server-Sent Events, without a reload; without EventSource the list falls back to polling. These tests
/// run their own server in real time (the shared one fast-forwards Waits, so nothing stays RUNNING there).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveUpdateBrowserTests(BrowserFixture fixture) : IAsyncLifetime
{
    private const string LongWait = """{"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":600,"End":true}}}""";
    private const string NoReloadMarker = "window.__stockflowNoReload = 'still here'";
    private const string MarkerCheck = "() => window.__stockflowNoReload";

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "stockflow-live-" + Guid.NewGuid().ToString("N"));
    private ControlPlaneServer _server = null!;
    private string _machine = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDir);
        var config = Path.Combine(_dataDir, "stockflow.json");
        await File.WriteAllTextAsync(config, "{}");
        _server = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = _dataDir, Port = 0, WaitScale = 1, ConfigPath = config, WatchLanding = false });
        _machine = (await BrowserFixture.ApiAsync(_server.Address, "CreateStateMachine", new JsonObject
        {
            ["name"] = "hold",
            ["roleArn"] = "arn:aws:iam::000000000000:role/test",
            ["definition"] = LongWait,
        }))["stateMachineArn"]!.GetValue<string>();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task The_executions_list_shows_a_run_start_and_stop_without_reloading()
    {
        var page = await fixture.NewPageAsync(_server.Address);
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);
        await page.GotoAsync("/");
        await page.WaitForSelectorAsync("#executions tbody td.muted");
        await page.EvaluateAsync(NoReloadMarker);

        var arn = await StartAsync("listed");
        var row = page.Locator("#executions tbody tr", new PageLocatorOptions { HasText = "listed" });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "RUNNING");
        await StopAsync(arn);
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "ABORTED");

        Assert.Equal("still here", await page.EvaluateAsync<string>(MarkerCheck));
        Assert.Contains(requests, url => url.Contains("/ui/executions/stream", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, url => url.Contains("/ui/executions/rows", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_execution_page_follows_its_run_to_the_end_without_reloading()
    {
        var arn = await StartAsync("followed");
        var page = await fixture.NewPageAsync(_server.Address);
        await page.GotoAsync("/executions/hold/followed");
        await page.WaitForSelectorAsync("h1#execution[data-status=RUNNING]");
        await page.EvaluateAsync(NoReloadMarker);

        await StopAsync(arn, "Operator.Stopped");
        await page.WaitForSelectorAsync("h1#execution[data-status=ABORTED]");
        Assert.Equal("Operator.Stopped", await page.InnerTextAsync("#execution-error"));
        Assert.Contains("ExecutionAborted", await page.InnerTextAsync("#events"), StringComparison.Ordinal);
        Assert.Equal("still here", await page.EvaluateAsync<string>(MarkerCheck));
    }

    [Fact]
    public async Task Without_EventSource_the_list_falls_back_to_polling()
    {
        var page = await fixture.NewPageAsync(_server.Address);
        await page.AddInitScriptAsync("delete window.EventSource;");
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);
        await page.GotoAsync("/");
        await page.EvaluateAsync(NoReloadMarker);

        var arn = await StartAsync("polled");
        var row = page.Locator("#executions tbody tr", new PageLocatorOptions { HasText = "polled" });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "RUNNING");
        await StopAsync(arn);
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "ABORTED");
        Assert.Equal("still here", await page.EvaluateAsync<string>(MarkerCheck));
        Assert.Contains(requests, url => url.Contains("/ui/executions/rows", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, url => url.Contains("/stream", StringComparison.Ordinal));
    }

    private async Task<string> StartAsync(string name) =>
        (await BrowserFixture.ApiAsync(_server.Address, "StartExecution", new JsonObject { ["stateMachineArn"] = _machine, ["name"] = name }))["executionArn"]!.GetValue<string>();

    private Task StopAsync(string arn, string error = "Test.Stopped") =>
        BrowserFixture.ApiAsync(_server.Address, "StopExecution", new JsonObject { ["executionArn"] = arn, ["error"] = error, ["cause"] = "stopped by the test" });
}
