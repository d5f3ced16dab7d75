using System.Text.Json.Nodes;
using Amazon.S3.Model;
using StockFlow.Storage;
using StockFlow.Storage.Tests;

namespace StockFlow.Deploy.Tests.Lambda;

/// <summary>
/// The shipped <c>bootstrap</c> (the Native AOT publish the zips hold) as a process against a Runtime API stand-in and a
/// real S3-protocol server, as Lambda runs it: events in, answers and errors out, the lake written.
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class BootstrapTests(S3ServerFixture s3) : IAsyncLifetime
{
    private const string Bucket = "stockflow-lake-test";
    private RuntimeApiStandIn api = null!;
    private string bootstrapPath = null!;

    public async Task InitializeAsync()
    {
        bootstrapPath = await PublishedBootstrap.PathAsync();
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
        return BootstrapProcess.Start(bootstrapPath, environment);
    }

    private static JsonObject Json(RuntimeAnswer answer) => JsonNode.Parse(answer.Body)!.AsObject();

    private static async Task<string> TextAsync(Amazon.S3.IAmazonS3 client, string key)
    {
        using var response = await client.GetObjectAsync(Bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

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
    public async Task Summarize_reads_the_ingest_maps_result_writer_output_and_writes_the_summary_changed_symbols_and_watermarks()
    {
        const string execution = "exec-summarize-1";
        var batch = """
            {"BatchInput":{"provider":"sample","bucket":"stockflow-lake-test","executionName":"exec-summarize-1","backfill":true},
             "Items":[{"symbol":"KO","from":"2024-12-02","to":"2024-12-20"}]}
            """;
        RuntimeAnswer ingested;
        using (var ingest = Start("ingest"))
        {
            ingested = await api.InvokeAsync(batch);
            Assert.True(ingested.Kind == "response", ingest.Output + ingested.Body);
        }

        // What the Distributed Map's ResultWriter writes: one SUCCEEDED batch (the ingest's real answer) and one FAILED
        // batch whose symbol the summary must report with the Lambda error's message.
        const string folder = $"runs/{execution}/ingest-results/0f1e2d3c-map-run/";
        var succeeded = new JsonArray { new JsonObject { ["Name"] = "batch-1", ["Status"] = "SUCCEEDED", ["Input"] = batch, ["Output"] = ingested.Body } };
        var failed = new JsonArray
        {
            new JsonObject
            {
                ["Name"] = "batch-2", ["Status"] = "FAILED", ["Error"] = "ProviderUnavailableException",
                ["Input"] = """{"BatchInput":{"provider":"sample","bucket":"stockflow-lake-test","executionName":"exec-summarize-1","backfill":true},"Items":[{"symbol":"PEP","from":"2024-12-02","to":"2024-12-20"}]}""",
                ["Cause"] = """{"errorType":"ProviderUnavailableException","errorMessage":"the price source is down"}""",
            },
        };
        using (var store = new S3ObjectStore(s3.Options()))
        {
            await store.PutTextAsync(Bucket, folder + "SUCCEEDED_0.json", succeeded.ToJsonString());
            await store.PutTextAsync(Bucket, folder + "FAILED_0.json", failed.ToJsonString());
            await store.PutTextAsync(Bucket, folder + "manifest.json", new JsonObject
            {
                ["DestinationBucket"] = Bucket,
                ["MapRunArn"] = "arn:aws:states:us-east-1:123456789012:mapRun:stockflow/0f1e2d3c-map-run",
                ["ResultFiles"] = new JsonObject
                {
                    ["SUCCEEDED"] = new JsonArray { new JsonObject { ["Key"] = folder + "SUCCEEDED_0.json", ["Size"] = 1 } },
                    ["FAILED"] = new JsonArray { new JsonObject { ["Key"] = folder + "FAILED_0.json", ["Size"] = 1 } },
                    ["PENDING"] = new JsonArray(),
                },
            }.ToJsonString());
        }

        using var bootstrap = Start("summarize");
        var answer = await api.InvokeAsync($$"""
            {"executionName":"{{execution}}","bucket":"{{Bucket}}","provider":"sample","resultsPrefix":"runs/{{execution}}/ingest-results"}
            """);

        Assert.True(answer.Kind == "response", bootstrap.Output + answer.Body);
        var summary = Json(answer);
        Assert.Equal(2, summary["symbols"]!.GetValue<int>());
        Assert.Equal(1, summary["succeeded"]!.GetValue<int>());
        Assert.Equal(1, summary["changedSymbols"]!.GetValue<int>());
        var failure = Assert.Single(summary["failures"]!.AsArray())!;
        Assert.Equal("PEP", failure["symbol"]!.GetValue<string>());
        Assert.Equal("ProviderUnavailableException", failure["error"]!.GetValue<string>());
        Assert.Equal("the price source is down", failure["cause"]!.GetValue<string>());

        using var client = S3ObjectStore.CreateClient(s3.Options());
        var outcomes = JsonNode.Parse(await TextAsync(client, summary["summaryKey"]!.GetValue<string>()))!.AsArray();
        Assert.Equal(["KO:ok", "PEP:failed"], outcomes.Select(o => $"{o!["symbol"]}:{o["status"]}"));
        Assert.Equal("""["KO"]""", await TextAsync(client, summary["changedSymbolsKey"]!.GetValue<string>()));
        Assert.Contains("\"KO\"", await TextAsync(client, "state/watermarks.json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_copies_each_athena_result_to_its_stable_key_and_writes_the_html_report_with_its_charts()
    {
        const string execution = "exec-report-1";
        var results = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["average_return"] = "symbol,first_date,last_date,trading_days,avg_daily_return,annualized_return,cumulative_return\n"
                + "KO,2024-01-02,2024-01-12,9,0.001,0.252,0.009\n",
            ["volatility_ranking"] = "symbol,annualized_volatility,rank\nKO,0.12,1\n",
            ["market_trend"] = "trade_date,symbols,index_return,index_level,pct_above_ma50\n2024-01-02,1,,1.0,\n2024-01-12,1,0.01,1.01,\n",
            ["price_history"] = "\"symbol\",\"trade_date\",\"adj_close\",\"ma_20\",\"ma_50\",\"ma_200\"\n"
                + "\"KO\",\"2024-01-02\",\"60.5\",,,\n\"KO\",\"2024-01-04\",\"61\",,,\n\"KO\",\"2024-01-10\",\"62\",,,\n\"KO\",\"2024-01-12\",\"63.25\",,,\n",
        };
        var queries = new JsonArray();
        using (var store = new S3ObjectStore(s3.Options()))
        {
            foreach (var (query, csv) in results)
            {
                var key = $"athena-results/{query}/0f1e2d3c-{query.Length}.csv";
                await store.PutTextAsync(Bucket, key, csv);
                queries.Add(new JsonObject
                {
                    ["query"] = query,
                    ["athena"] = new JsonObject { ["queryExecutionId"] = $"id-{query}", ["outputLocation"] = $"s3://{Bucket}/{key}", ["state"] = "SUCCEEDED" },
                });
            }
        }

        using var bootstrap = Start("report");
        var answer = await api.InvokeAsync(new JsonObject
        {
            ["executionName"] = execution,
            ["bucket"] = Bucket,
            ["period"] = new JsonObject { ["from"] = "2024-01-01", ["to"] = "2024-01-31" },
            ["provider"] = "csv",
            ["queries"] = queries,
        }.ToJsonString());

        Assert.True(answer.Kind == "response", bootstrap.Output + answer.Body);
        var report = Json(answer);
        Assert.Equal($"reports/{execution}/index.html", report["reportKey"]!.GetValue<string>());
        using var client = S3ObjectStore.CreateClient(s3.Options());
        foreach (var (query, csv) in results)
        {
            Assert.Equal($"results/{execution}/{query}.csv", report["results"]![query]!.GetValue<string>());
            Assert.Equal(csv, await TextAsync(client, $"results/{execution}/{query}.csv"));
        }

        // The page with its data and plotly.js (an embedded resource the AOT binary must still carry).
        var html = await TextAsync(client, $"reports/{execution}/index.html");
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
        Assert.Contains("\"KO\":{\"d0\":\"2024-01-02\",\"dd\":[2,6,2],\"p\":[60.5,61,62,63.25]", html, StringComparison.Ordinal);
        Assert.Contains("plotly.js v2.28.0", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lock_acquires_the_lake_refuses_a_second_execution_with_LakeBusyException_and_releases_only_the_holders_lock()
    {
        using var bootstrap = Start("lock");
        var start = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        string Request(string action, string execution) => $$"""
            {"action":"{{action}}","bucket":"{{Bucket}}","executionName":"{{execution}}","executionStartTime":"{{start}}","staleAfterSeconds":3600}
            """;
        using var client = S3ObjectStore.CreateClient(s3.Options());

        var acquired = await api.InvokeAsync(Request("acquire", "exec-lock-1"));
        Assert.True(acquired.Kind == "response", bootstrap.Output + acquired.Body);
        Assert.Equal("exec-lock-1", Json(acquired)["holder"]!.GetValue<string>());
        Assert.Contains("\"exec-lock-1\"", await TextAsync(client, "state/pipeline-lock.json"), StringComparison.Ordinal);

        var busy = await api.InvokeAsync(Request("acquire", "exec-lock-2"));
        Assert.Equal("error", busy.Kind);
        Assert.Equal("LakeBusyException", busy.ErrorTypeHeader);
        Assert.Contains("exec-lock-1", Json(busy)["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);

        var notMine = await api.InvokeAsync(Request("release", "exec-lock-2"));
        Assert.False(Json(notMine)["released"]!.GetValue<bool>());
        Assert.Equal("exec-lock-1", Json(notMine)["heldBy"]!.GetValue<string>());

        var released = await api.InvokeAsync(Request("release", "exec-lock-1"));
        Assert.True(Json(released)["released"]!.GetValue<bool>(), released.Body);
        var listing = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "state/pipeline-lock.json" });
        Assert.Empty(listing.S3Objects ?? []);
        Assert.False(bootstrap.Process.HasExited);
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

    [Theory]
    [InlineData("99999999999999")]        // the year 5138: beyond what a CancellationTokenSource can wait
    [InlineData("999999999999999999")]    // beyond year 9999: no date at all
    [InlineData("soon")]
    public async Task An_unusable_deadline_header_does_not_stop_the_invocation_or_the_process(string header)
    {
        using var bootstrap = Start("ingest");
        foreach (var execution in new[] { "exec-odd-deadline-1", "exec-odd-deadline-2" })
        {
            var answer = await api.InvokeAsync($$"""
                {"BatchInput":{"provider":"sample","bucket":"stockflow-lake-test","executionName":"{{execution}}","backfill":true},
                 "Items":[{"symbol":"IBM","from":"2024-12-02","to":"2024-12-06"}]}
                """, deadlineHeader: header);

            Assert.True(answer.Kind == "response", answer.Body);
        }

        Assert.False(bootstrap.Process.HasExited);
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
