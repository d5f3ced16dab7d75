using System.Net;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;

namespace StockFlow.ControlPlane.Tests;

/// <summary>The console's pages over real HTTP: forms with anti-forgery tokens, encoding, file routes.</summary>
public sealed partial class ConsolePageTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Script = "<script>alert(1)</script>";

    [Fact]
    public async Task The_executions_page_lists_executions_and_the_start_form_starts_one()
    {
        var machine = await server.CreateMachineAsync("page-start", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");
        var page = await server.Http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("<h1>Executions</h1>", page, StringComparison.Ordinal);
        Assert.Contains("page-start", page, StringComparison.Ordinal);

        using var response = await PostFormAsync("/ui/start", page, new() { ["stateMachine"] = "page-start", ["name"] = "from-page", ["input"] = """{"a":1}""" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("/executions/page-start/from-page", response.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        await server.WaitForEndAsync("arn:aws:states:us-east-1:000000000000:execution:page-start:from-page");

        var listed = await server.Http.GetStringAsync(new Uri("/?status=SUCCEEDED&name=from-pa&machine=" + Uri.EscapeDataString(machine), UriKind.Relative));
        Assert.Contains("from-page", listed, StringComparison.Ordinal);
        var none = await server.Http.GetStringAsync(new Uri("/?status=FAILED&name=from-page", UriKind.Relative));
        Assert.DoesNotContain(">from-page<", none, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_state_changing_request_without_the_anti_forgery_token_is_refused()
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["stateMachine"] = "stockflow-pipeline", ["input"] = "{}" });
        using var response = await server.Http.PostAsync(new Uri("/ui/start", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("anti-forgery", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var listed = await server.OkAsync("ListExecutions", new JsonObject { ["stateMachineArn"] = "arn:aws:states:us-east-1:000000000000:stateMachine:stockflow-pipeline" });
        Assert.Empty(listed["executions"]!.AsArray());
    }

    [Fact]
    public async Task An_execution_page_shows_the_graph_timeline_and_history_with_everything_encoded()
    {
        var machine = await server.CreateMachineAsync("xss", """
            {"StartAt":"Pick","States":{
              "Pick":{"Type":"Choice","Choices":[{"Variable":"$.go","BooleanEquals":true,"Next":"Work"}],"Default":"Skip"},
              "Work":{"Type":"Parallel","Branches":[{"StartAt":"Inner","States":{"Inner":{"Type":"Pass","End":true}}}],
                      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Skip"}],"Next":"Boom"},
              "Skip":{"Type":"Succeed"},
              "Boom":{"Type":"Fail","Error":"SCRIPT","Cause":"cause SCRIPT"}}}
            """.Replace("SCRIPT", Script, StringComparison.Ordinal));
        var arn = (await server.OkAsync("StartExecution", new JsonObject
        {
            ["stateMachineArn"] = machine, ["name"] = "xss-1", ["input"] = new JsonObject { ["go"] = true, ["symbol"] = Script }.ToJsonString(),
        }))["executionArn"]!.GetValue<string>();
        Assert.Equal("FAILED", (await server.WaitForEndAsync(arn))["status"]!.GetValue<string>());

        var page = await server.Http.GetStringAsync(new Uri("/executions/xss/xss-1", UriKind.Relative));
        Assert.DoesNotContain(Script, page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
        Assert.Contains("class=\"state-graph\"", page, StringComparison.Ordinal);
        Assert.Matches("class=\"state state-succeeded[^\"]*\" data-state=\"Work\" data-type=\"Parallel\"", page);
        Assert.Matches("class=\"state state-failed[^\"]*\" data-state=\"Boom\"", page);
        Assert.Matches("class=\"state state-notrun[^\"]*\" data-state=\"Skip\"", page);
        Assert.Contains("data-state=\"Inner\"", page, StringComparison.Ordinal);
        Assert.Contains("edge-catch", page, StringComparison.Ordinal);
        Assert.Contains("edge-choice", page, StringComparison.Ordinal);
        Assert.Contains("class=\"gantt\"", page, StringComparison.Ordinal);
        Assert.Contains("ExecutionFailed", page, StringComparison.Ordinal);
        Assert.Contains("id=\"redrive\"", page, StringComparison.Ordinal);

        var list = await server.Http.GetStringAsync(new Uri("/?name=xss", UriKind.Relative));
        Assert.DoesNotContain(Script, list, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_result_is_encoded_and_a_write_is_refused()
    {
        var page = await server.Http.GetStringAsync(new Uri("/query", UriKind.Relative));
        using var response = await PostFormAsync("/query", page, new() { ["sql"] = $"SELECT '{Script}' AS evil, 2 AS two" });
        var result = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Script, result, StringComparison.Ordinal);
        Assert.Contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>", result, StringComparison.Ordinal);

        using var csv = await PostFormAsync("/query.csv", page, new() { ["sql"] = "SELECT 1 AS one, 'a,b' AS two" });
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("one,two\n1,\"a,b\"\n", (await csv.Content.ReadAsStringAsync()).Replace("\r\n", "\n", StringComparison.Ordinal));

        using var write = await PostFormAsync("/query", page, new() { ["sql"] = "CREATE TABLE t AS SELECT 1" });
        Assert.Contains("id=\"query-error\"", await write.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/reports/run-1/..%2F..%2F..%2Fexecutions.db")]
    [InlineData("/reports/..%2F..%2Fexecutions.db/x")]
    [InlineData("/reports/run-1/%2Fetc%2Fpasswd")]
    [InlineData("/reports/run-1/..%5C..%5Cexecutions.db")]
    [InlineData("/reports/run-1/missing.html")]
    public async Task Report_routes_serve_nothing_outside_the_execution_s_report_folder(string path)
    {
        var folder = Path.Combine(server.DataDir, "lake", "stockflow-lake", "reports", "run-1");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "index.html"), "<html>report</html>");
        using var ok = await server.Http.GetAsync(new Uri("/reports/run-1/index.html", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var response = await server.Http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("SQLite", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_are_served_with_a_content_security_policy_and_assets_come_from_the_server()
    {
        using var response = await server.Http.GetAsync(new Uri("/schedules", UriKind.Relative));
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("fetch(", await server.Http.GetStringAsync(new Uri("/assets/console.js", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Contains("Plotly", await server.Http.GetStringAsync(new Uri("/assets/plotly.min.js", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_naming_another_host_is_refused()
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "/");
        message.Headers.Host = "attacker.example";
        using var response = await server.Http.SendAsync(message);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostFormAsync(string path, string page, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = TokenPattern().Match(page).Groups[1].Value;
        using var content = new FormUrlEncodedContent(fields);
        return await server.Http.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
