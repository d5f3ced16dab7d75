using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using StockFlow.ControlPlane.Hosting;

namespace StockFlow.ControlPlane.Browser.Tests;

/// <summary>
/// One console server (fast-forwarded waits, a configured schedule) and one headless Debian Chromium
/// for all browser tests. Set STOCKFLOW_SCREENSHOTS=DIR to keep screenshots of the pages visited.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ScheduleCron = "0 22 * * 1-5";
    public const string ScheduleZone = "America/New_York";

    private IPlaywright? _playwright;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "stockflow-browser-" + Guid.NewGuid().ToString("N"));

    public ControlPlaneServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string? ScreenshotDir { get; } = Environment.GetEnvironmentVariable("STOCKFLOW_SCREENSHOTS");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath}: run `apt-get update && apt-get install -y chromium` (.ci/run does it).");
        }

        Directory.CreateDirectory(DataDir);
        var config = Path.Combine(DataDir, "stockflow.json");
        await File.WriteAllTextAsync(config, """
            {"Schedules":[{"Name":"nightly-pipeline","Cron":"CRON","TimeZone":"ZONE","MissedRuns":"RunOnce","Input":{"provider":"sample"}}]}
            """.Replace("CRON", ScheduleCron, StringComparison.Ordinal).Replace("ZONE", ScheduleZone, StringComparison.Ordinal));
        Server = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = DataDir, Port = 0, WaitScale = 0, ConfigPath = config, WatchLanding = false });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public Task<IPage> NewPageAsync() => NewPageAsync(Server.Address);

    /// <summary>A page in a fresh browser context whose relative URLs go to <paramref name="server"/>.</summary>
    public async Task<IPage> NewPageAsync(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.ToString(), ViewportSize = new ViewportSize { Width = 1360, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>The visible part of the page, or one element of it.</summary>
    public async Task ScreenshotAsync(IPage page, string name, string? selector = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (ScreenshotDir is null)
        {
            return;
        }

        Directory.CreateDirectory(ScreenshotDir);
        var path = Path.Combine(ScreenshotDir, name + ".png");
        if (selector is null)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        }
        else
        {
            await page.Locator(selector).ScreenshotAsync(new LocatorScreenshotOptions { Path = path });
        }
    }

    /// <summary>One Step Functions API call, as the AWS CLI sends it.</summary>
    public Task<JsonObject> ApiAsync(string operation, JsonObject request) => ApiAsync(Server.Address, operation, request);

    /// <summary>One Step Functions API call to another server (a test's own).</summary>
    public static async Task<JsonObject> ApiAsync(Uri server, string operation, JsonObject request)
    {
        using var http = new HttpClient { BaseAddress = server };
        using var message = new HttpRequestMessage(HttpMethod.Post, "/");
        message.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSStepFunctions." + operation);
        message.Content = new StringContent(request.ToJsonString(), Encoding.UTF8);
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        using var response = await http.SendAsync(message);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body;
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
