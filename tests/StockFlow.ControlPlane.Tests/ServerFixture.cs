using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using StockFlow.ControlPlane.Hosting;

namespace StockFlow.ControlPlane.Tests;

/// <summary>A real server on 127.0.0.1 and a random port, over a fresh data directory.</summary>
public class ServerFixture : IAsyncLifetime
{
    /// <summary>Wait states run in real time, so a test can stop an execution while it waits.</summary>
    public ServerFixture()
        : this(waitScale: 1)
    {
    }

    protected ServerFixture(double waitScale) => WaitScale = waitScale;

    private double WaitScale { get; }

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "stockflow-console-" + Guid.NewGuid().ToString("N"));

    public ControlPlaneServer Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = DataDir, Port = 0, WaitScale = WaitScale, WatchLanding = false });
        Http = new HttpClient { BaseAddress = Server.Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a finishing execution: the temp folder is cleaned by the OS.
        }
    }

    /// <summary>Sends one operation as the AWS CLI does: SigV4-shaped headers, AWS JSON 1.0 body.</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> CallAsync(string operation, JsonObject request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = new HttpRequestMessage(HttpMethod.Post, "/");
        message.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSStepFunctions." + operation);
        message.Headers.TryAddWithoutValidation("X-Amz-Date", "20261206T042000Z");
        message.Headers.TryAddWithoutValidation("User-Agent", "aws-cli/2.22.0 md/command#stepfunctions." + operation);
        message.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261206/us-east-1/states/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        message.Content = new StringContent(request.ToJsonString(), Encoding.UTF8);
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        using var response = await Http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/x-amz-json-1.0", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    public async Task<JsonObject> OkAsync(string operation, JsonObject request)
    {
        var (status, body) = await CallAsync(operation, request);
        Assert.True(status == HttpStatusCode.OK, $"{operation} answered {(int)status}: {body.ToJsonString()}");
        return body;
    }

    /// <summary>Polls DescribeExecution until the execution leaves RUNNING.</summary>
    public async Task<JsonObject> WaitForEndAsync(string executionArn, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var described = await OkAsync("DescribeExecution", new JsonObject { ["executionArn"] = executionArn });
            if (described["status"]!.GetValue<string>() != "RUNNING")
            {
                return described;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{executionArn} still RUNNING");
            await Task.Delay(50);
        }
    }

    public async Task<string> CreateMachineAsync(string name, string definition) =>
        (await OkAsync("CreateStateMachine", new JsonObject
        {
            ["name"] = name,
            ["definition"] = definition,
            ["roleArn"] = "arn:aws:iam::000000000000:role/test",
        }))["stateMachineArn"]!.GetValue<string>();
}

/// <summary>The same server with Wait states and retry back-offs fast-forwarded, for whole pipeline runs.</summary>
public sealed class FastServerFixture() : ServerFixture(waitScale: 0);
