using System.Text.Json.Nodes;
using StockFlow.GlueAthena.Local.Catalog;
using StockFlow.GlueAthena.Local.DuckDb;
using StockFlow.Asl;
using StockFlow.Functions.Hosting;
using StockFlow.Runtime.Local.Bindings;

namespace StockFlow.Runtime.Local.Tests;

/// <summary>The local stand-ins answer and fail the way the AWS services they replace do.</summary>
public sealed class BindingTests : IDisposable
{
    private readonly DataDirectory _directory = new DataDirectory(Path.Combine(Path.GetTempPath(), "stockflow-bindings-" + Guid.NewGuid().ToString("N"))).EnsureCreated();

    public void Dispose() => Directory.Delete(_directory.Root, recursive: true);

    private static TaskInvocation Call(string resource, string parameters, string state = "S") =>
        new(state, resource, JsonNode.Parse(parameters), new JsonObject());

    [Fact]
    public async Task An_unbound_resource_fails_with_States_Runtime_naming_it()
    {
        var invoker = new LocalTaskInvoker([new SnsBinding(_directory.NotificationsLog, TimeProvider.System)]);
        var error = await Assert.ThrowsAsync<StatesErrorException>(() =>
            invoker.InvokeAsync(Call("arn:aws:states:::dynamodb:putItem", "{}", "Save"), CancellationToken.None));
        Assert.Equal(StatesErrors.Runtime, error.Error);
        Assert.Contains("arn:aws:states:::dynamodb:putItem", error.Cause, StringComparison.Ordinal);
        Assert.Contains("Save", error.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lambda_invoke_answers_with_the_invoke_response_and_maps_exceptions_to_their_type_name()
    {
        var binding = new LambdaBinding([new EchoHandler()]);
        var response = await binding.InvokeAsync(
            Call(LambdaBinding.InvokeResource, """{"FunctionName":"arn:aws:lambda:us-east-1:000000000000:function:stockflow-echo:$LATEST","Payload":{"x":1}}"""),
            CancellationToken.None);
        Assert.Equal(200, response!["StatusCode"]!.GetValue<int>());
        Assert.Equal("""{"x":1}""", response["Payload"]!.ToJsonString());

        var error = await Assert.ThrowsAsync<StatesErrorException>(() =>
            binding.InvokeAsync(Call(LambdaBinding.InvokeResource, """{"FunctionName":"echo","Payload":{"fail":true}}"""), CancellationToken.None));
        Assert.Equal("TimeoutException", error.Error);
        var cause = JsonNode.Parse(error.Cause)!;
        Assert.Equal("asked to fail", cause["errorMessage"]!.GetValue<string>());
        Assert.Equal("TimeoutException", cause["errorType"]!.GetValue<string>());

        var missing = await Assert.ThrowsAsync<StatesErrorException>(() =>
            binding.InvokeAsync(Call(LambdaBinding.InvokeResource, """{"FunctionName":"nope"}"""), CancellationToken.None));
        Assert.Equal("Lambda.ResourceNotFoundException", missing.Error);
    }

    [Fact]
    public async Task Sns_publish_logs_the_message_and_refuses_a_missing_topic()
    {
        var binding = new SnsBinding(_directory.NotificationsLog, TimeProvider.System);
        var response = await binding.InvokeAsync(Call(SnsBinding.PublishResource, """{"TopicArn":"arn:t","Message":"m"}"""), CancellationToken.None);
        Assert.False(string.IsNullOrEmpty(response!["MessageId"]!.GetValue<string>()));
        Assert.Equal("m", JsonNode.Parse(File.ReadAllLines(_directory.NotificationsLog).Single())!["message"]!.GetValue<string>());

        var error = await Assert.ThrowsAsync<StatesErrorException>(() =>
            binding.InvokeAsync(Call(SnsBinding.PublishResource, """{"Message":"m"}"""), CancellationToken.None));
        Assert.Equal("SNS.InvalidParameterException", error.Error);
    }

    [Fact]
    public async Task Crawler_reports_running_then_ready_and_refuses_a_second_start_or_an_unknown_name()
    {
        var binding = new GlueCrawlerBinding(_directory, "c", "stockflow", [CrawlerTarget.RawPrices], TimeProvider.System, TimeSpan.FromSeconds(5));
        var unknown = await Assert.ThrowsAsync<StatesErrorException>(() =>
            binding.InvokeAsync(Call(GlueCrawlerBinding.StartCrawler, """{"Name":"other"}"""), CancellationToken.None));
        Assert.Equal("Glue.EntityNotFoundException", unknown.Error);

        await binding.InvokeAsync(Call(GlueCrawlerBinding.StartCrawler, """{"Name":"c"}"""), CancellationToken.None);
        JsonNode? crawler = null;
        for (var poll = 0; poll < 20; poll++)
        {
            crawler = (await binding.InvokeAsync(Call(GlueCrawlerBinding.GetCrawler, """{"Name":"c"}"""), CancellationToken.None))!["Crawler"];
            if (crawler!["State"]!.GetValue<string>() == "READY")
            {
                break;
            }
        }

        Assert.Equal("READY", crawler!["State"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", crawler["LastCrawl"]!["Status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Athena_refuses_other_work_groups_and_reports_a_failed_query_as_task_failed()
    {
        var binding = new AthenaBinding(_directory, "stockflow", new DuckDbOptions(), TimeProvider.System);
        var wrongGroup = await Assert.ThrowsAsync<StatesErrorException>(() => binding.InvokeAsync(
            Call(AthenaBinding.StartQueryExecutionSync, """{"QueryString":"EXECUTE average_return","WorkGroup":"other","ResultConfiguration":{"OutputLocation":"s3://stockflow-lake/results/x/"}}"""),
            CancellationToken.None));
        Assert.Equal("Athena.InvalidRequestException", wrongGroup.Error);

        var notPrepared = await Assert.ThrowsAsync<StatesErrorException>(() => binding.InvokeAsync(
            Call(AthenaBinding.StartQueryExecutionSync, """{"QueryString":"SELECT 1","WorkGroup":"stockflow","ResultConfiguration":{"OutputLocation":"s3://stockflow-lake/results/x/"}}"""),
            CancellationToken.None));
        Assert.Equal(StatesErrors.TaskFailed, notPrepared.Error);
        Assert.Equal("FAILED", JsonNode.Parse(notPrepared.Cause)!["QueryExecution"]!["Status"]!["State"]!.GetValue<string>());
    }

    [Fact]
    public void S3_uris_never_leave_the_local_lake()
    {
        Assert.EndsWith(Path.Combine("stockflow-lake", "results", "a.csv"), _directory.PathOfS3Uri("s3://stockflow-lake/results/a.csv"), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _directory.PathOfS3Uri("s3://stockflow-lake/../../etc/passwd"));
        Assert.Throws<ArgumentException>(() => _directory.PathOfS3Uri("https://example.com/x"));
    }

    private sealed class EchoHandler : ILambdaHandler
    {
        public string Name => "echo";

        public Task<JsonNode?> HandleAsync(JsonNode? payload, CancellationToken cancellationToken) =>
            payload?["fail"] is not null ? throw new TimeoutException("asked to fail") : Task.FromResult(payload?.DeepClone());
    }
}
