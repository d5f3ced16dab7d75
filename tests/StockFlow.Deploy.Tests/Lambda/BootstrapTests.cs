using System.Text.Json.Nodes;
using Amazon.S3.Model;
using StockFlow.Storage;
using StockFlow.Storage.Tests;

namespace StockFlow.Deploy.Tests.Lambda;

/// <summary>
/// The real <c>bootstrap</c> process against a Runtime API stand-in and a real S3-protocol
/// server, as Lambda runs it: events in, answers and errors out, the lake written.
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class BootstrapTests(S3ServerFixture s3) : IAsyncLifetime
{
    private const string Bucket = "stockflow-lake-test";
    private RuntimeApiStandIn api = null!;

    public async Task InitializeAsync()
    {
        api = await RuntimeApiStandIn.StartAsync();
        using var store = new S3ObjectStore(s3.Options());
        await store.EnsureBucketAsync(Bucket);
    }

    public async Task DisposeAsync() => await api.DisposeAsync();

    private BootstrapProcess Start(string? handler, Action<Dictionary<string, string?>>? change = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = api.Address,
            ["_HANDLER"] = handler,
            ["STOCKFLOW_LAKE_BUCKET"] = Bucket,
            ["AWS_ENDPOINT_URL_S3"] = s3.Endpoint.ToString(),
            ["STOCKFLOW_S3_FORCE_PATH_STYLE"] = "true",
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "S3RVER",
            ["AWS_SECRET_ACCESS_KEY"] = "S3RVER",
            ["AWS_LAMBDA_FUNCTION_NAME"] = $"stockflow-{handler}",
        };
        change?.Invoke(environment);
        return BootstrapProcess.Start(environment);
    }

    private static JsonObject Json(RuntimeAnswer answer) => JsonNode.Parse(answer.Body)!.AsObject();

    [Fact]
    public async Task Plan_answers_a_real_event_and_writes_the_work_list_to_the_lake()
    {
        using var bootstrap = Start("plan");
        var answer = await api.InvokeAsync("""
            {"executionName":"exec-plan-1","bucket":"stockflow-lake-test",
             "request":{"provider":"sample","symbols":["AAPL","MSFT"],"from":"2024-01-01","to":"2024-01-31"}}
            """);

        Assert.True(answer.Kind == "response", bootstrap.Output + answer.Body);
        var result = Json(answer);
        Assert.Equal("sample", result["provider"]!.GetValue<string>());
        Assert.Equal("2024-01-31", result["period"]!["to"]!.GetValue<string>());
        Assert.Equal(2, result["symbols"]!.GetValue<int>());
        using var client = S3ObjectStore.CreateClient(s3.Options());
        using var items = await client.GetObjectAsync(Bucket, result["itemsKey"]!.GetValue<string>());
        using var reader = new StreamReader(items.ResponseStream);
        var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["AAPL", "MSFT"], lines.Select(l => JsonNode.Parse(l)!["symbol"]!.GetValue<string>()));
        Assert.False(bootstrap.Process.HasExited);
    }

    [Fact]
    public async Task The_landing_upload_rule_starts_a_plan_of_the_uploaded_file_only()
    {
        using (var store = new S3ObjectStore(s3.Options()))
        {
            foreach (var symbol in new[] { "AAPL", "MSFT", "^GSPC" })
            {
                await store.PutTextAsync(Bucket, $"landing/{symbol}.csv", "Date,Open,High,Low,Close,Adj Close,Volume\n");
            }
        }

        // S3's "Object Created" event on EventBridge (AWS's documented shape; the key URL-encoded), through the
        // rule target's input transformer as infra/Main.yaml declares it, is the execution's input: the plan's request.
        var s3Event = JsonNode.Parse("""
            {"version":"0","id":"17793124-05d4-b198-2fde-7ededc63b103","detail-type":"Object Created","source":"aws.s3",
             "account":"123456789012","time":"2024-03-15T18:43:48Z","region":"us-east-1","resources":["arn:aws:s3:::stockflow-lake-test"],
             "detail":{"version":"0","bucket":{"name":"stockflow-lake-test"},
               "object":{"key":"landing/%5EGSPC.csv","size":5,"etag":"b1946ac92492d2347c6235b4d2611184","sequencer":"00617F08299329D189"},
               "request-id":"N4N7GDK58NMKJ12R","requester":"123456789012","reason":"PutObject"}}
            """)!;
        var request = Infra.LandingTrigger.Input(Infra.PulumiProgram.Load(), s3Event);

        using var bootstrap = Start("plan");
        var answer = await api.InvokeAsync(new JsonObject { ["executionName"] = "exec-landing-1", ["bucket"] = Bucket, ["request"] = request }.ToJsonString());

        Assert.True(answer.Kind == "response", bootstrap.Output + answer.Body);
        Assert.Equal("csv", Json(answer)["provider"]!.GetValue<string>());
        using var client = S3ObjectStore.CreateClient(s3.Options());
        using var items = await client.GetObjectAsync(Bucket, Json(answer)["itemsKey"]!.GetValue<string>());
        using var reader = new StreamReader(items.ResponseStream);
        var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["^GSPC"], lines.Select(l => JsonNode.Parse(l)!["symbol"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Ingest_writes_the_batch_symbols_raw_files_to_the_lake()
    {
        using var bootstrap = Start("ingest");
        var answer = await api.InvokeAsync("""
            {"BatchInput":{"provider":"sample","bucket":"stockflow-lake-test","executionName":"exec-ingest-1","backfill":true},
             "Items":[{"symbol":"IBM","from":"2024-12-02","to":"2025-01-10"}]}
            """);

        Assert.True(answer.Kind == "response", bootstrap.Output + answer.Body);
        using var client = S3ObjectStore.CreateClient(s3.Options());
        var listing = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "raw/prices/symbol=IBM/" });
        var keys = listing.S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["raw/prices/symbol=IBM/IBM_2024.csv", "raw/prices/symbol=IBM/IBM_2025.csv"], keys);
        Assert.True(Json(answer)["rowsWritten"]!.GetValue<int>() > 0, answer.Body);
    }

    [Fact]
    public async Task A_handler_exception_is_an_invocation_error_named_by_its_type_and_the_process_serves_on()
    {
        using var bootstrap = Start("plan");
        var failed = await api.InvokeAsync("""
            {"executionName":"exec-bad","bucket":"stockflow-lake-test","request":{"provider":"nasdaq-by-fax"}}
            """);

        Assert.Equal("error", failed.Kind);
        Assert.Equal("InvalidPayloadException", failed.ErrorTypeHeader);
        var error = Json(failed);
        Assert.Equal("InvalidPayloadException", error["errorType"]!.GetValue<string>());
        Assert.Contains("nasdaq-by-fax", error["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEmpty(error["stackTrace"]!.AsArray());

        var next = await api.InvokeAsync("""
            {"executionName":"exec-good","bucket":"stockflow-lake-test","request":{"provider":"sample","symbols":["AAPL"]}}
            """);
        Assert.Equal("response", next.Kind);
        Assert.False(bootstrap.Process.HasExited);
        var failure = bootstrap.Logs.Single(l => l["level"]!.GetValue<string>() == "ERROR");
        Assert.Equal("InvalidPayloadException", failure["errorType"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(failure["requestId"]?.GetValue<string>()));
    }

    [Theory]
    [InlineData("{\"executionName\": ")]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    [InlineData("null")]
    public async Task A_malformed_event_is_an_InvalidPayloadException_and_the_process_survives(string body)
    {
        using var bootstrap = Start("ingest");
        var answer = await api.InvokeAsync(body);

        Assert.Equal("error", answer.Kind);
        Assert.Equal("InvalidPayloadException", Json(answer)["errorType"]!.GetValue<string>());
        Assert.Equal("InvalidPayloadException", answer.ErrorTypeHeader);
        Assert.False(bootstrap.Process.HasExited);
    }

    [Fact]
    public async Task The_trace_id_of_each_event_is_set_as_X_AMZN_TRACE_ID_and_logs_are_JSON_lines()
    {
        using var bootstrap = Start("plan");
        const string trace = "Root=1-67890abc-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0";
        var answer = await api.InvokeAsync("""{"executionName":"exec-trace","bucket":"stockflow-lake-test","request":{"provider":"sample","symbols":["AAPL"]}}""", traceId: trace);

        Assert.Equal("response", answer.Kind);
        var invoked = bootstrap.Logs.First(l => l["message"]!.GetValue<string>() == "plan invoked");
        Assert.Equal("INFO", invoked["level"]!.GetValue<string>());
        Assert.Equal(trace, invoked["traceId"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(invoked["requestId"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("quote")]
    [InlineData("")]
    public async Task An_unknown_handler_is_an_init_error_and_the_process_exits(string handler)
    {
        using var bootstrap = Start(handler);
        var initError = await api.InitError.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("UnknownHandlerException", initError.ErrorTypeHeader);
        var error = Json(initError);
        Assert.Equal("UnknownHandlerException", error["errorType"]!.GetValue<string>());
        Assert.Contains("plan", error["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEqual(0, await bootstrap.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_missing_lake_bucket_is_an_init_error()
    {
        using var bootstrap = Start("plan", env => env.Remove("STOCKFLOW_LAKE_BUCKET"));
        var initError = await api.InitError.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("LambdaConfigurationException", Json(initError)["errorType"]!.GetValue<string>());
        Assert.NotEqual(0, await bootstrap.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_handler_still_running_at_the_deadline_is_cancelled_and_reported_and_the_process_serves_on()
    {
        // The market-data endpoint never answers: only the deadline can end the invocation.
        using var bootstrap = Start("ingest", env => env["STOCKFLOW_YAHOO_BASE_URL"] = $"http://{api.Address}/slow/");
        var started = DateTime.UtcNow;
        var answer = await api.InvokeAsync("""
            {"BatchInput":{"provider":"yahoo","bucket":"stockflow-lake-test","executionName":"exec-deadline","backfill":true},
             "Items":[{"symbol":"IBM","from":"2024-12-02","to":"2024-12-31"}]}
            """, deadlineIn: TimeSpan.FromSeconds(3));

        Assert.Equal("error", answer.Kind);
        Assert.Equal("DeadlineExceededException", Json(answer)["errorType"]!.GetValue<string>());
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20));

        var next = await api.InvokeAsync("""
            {"BatchInput":{"provider":"sample","bucket":"stockflow-lake-test","executionName":"exec-after-deadline","backfill":true},
             "Items":[{"symbol":"IBM","from":"2024-12-02","to":"2024-12-06"}]}
            """);
        Assert.Equal("response", next.Kind);
    }
}
