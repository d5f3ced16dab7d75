using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.ControlPlane.Hosting;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Definitions;
using StockFlow.Runtime.Local.Executions;

// `dotnet run -c Release --project bench/StockFlow.Bench.Console [-- --executions 10000 --starts 100 --out bench/results]`
// 1. seeds N finished executions (6 history events each) into a fresh data directory's store;
// 2. serves it on 127.0.0.1 and times ListExecutions (first page, a deep page), the executions page and the
//    first message of its live-update stream (Server-Sent Events);
// 3. fires C StartExecution calls of a small definition at once and checks every one completes, and that an
//    executions page open meanwhile is pushed rows in which every run has ended.
var executions = Arg("--executions", 10_000);
var starts = Arg("--starts", 100);
var samples = Arg("--samples", 40);
var outDir = ArgText("--out") ?? Path.Combine(FindRepoRoot(), "bench", "results");
var dataDir = Path.Combine(Path.GetTempPath(), "stockflow-bench-console-" + Guid.NewGuid().ToString("N"));
var machineArn = LocalResourceNames.StateMachineArn(LocalResourceNames.StateMachineName);

try
{
    var seed = Stopwatch.StartNew();
    Seed(new DataDirectory(dataDir).EnsureCreated(), executions);
    Console.WriteLine($"seeded {executions:N0} executions in {seed.Elapsed.TotalSeconds:0.0} s");

    await using var server = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dataDir, Port = 0, WaitScale = 0, WatchLanding = false });
    using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };

    var firstPage = await TimeAsync(samples, () => CallAsync(http, "ListExecutions", new JsonObject { ["stateMachineArn"] = machineArn, ["maxResults"] = 100 }));
    var token = (await CallAsync(http, "ListExecutions", new JsonObject { ["stateMachineArn"] = machineArn, ["maxResults"] = 1000 }))["nextToken"]!.GetValue<string>();
    for (var i = 0; i < 8; i++)
    {
        token = (await CallAsync(http, "ListExecutions", new JsonObject { ["stateMachineArn"] = machineArn, ["maxResults"] = 1000, ["nextToken"] = token }))["nextToken"]!.GetValue<string>();
    }

    var deepPage = await TimeAsync(samples, () => CallAsync(http, "ListExecutions", new JsonObject { ["stateMachineArn"] = machineArn, ["maxResults"] = 100, ["nextToken"] = token }));
    var filtered = await TimeAsync(samples, () => CallAsync(http, "ListExecutions", new JsonObject { ["stateMachineArn"] = machineArn, ["maxResults"] = 100, ["statusFilter"] = "FAILED" }));
    var listPage = await TimeAsync(samples, () => http.GetStringAsync(new Uri("/", UriKind.Relative)));
    var shownRows = System.Text.RegularExpressions.Regex.Count(await http.GetStringAsync(new Uri("/", UriKind.Relative)), "<tr data-status=");
    if (shownRows != StockFlow.ControlPlane.Pages.ExecutionPages.PageSize)
    {
        throw new InvalidOperationException($"The executions page shows {shownRows} rows, not {StockFlow.ControlPlane.Pages.ExecutionPages.PageSize}.");
    }

    var listRows = await TimeAsync(samples, () => http.GetStringAsync(new Uri("/ui/executions/rows?status=FAILED&name=0999", UriKind.Relative)));

    // The live executions list: a new Server-Sent Events stream's first rows message.
    var streamFirst = await TimeAsync(samples, async () =>
    {
        using var stream = await OpenStreamAsync(http, "/ui/executions/stream");
        return await ReadMessageAsync(stream.Reader, "rows");
    });

    // 100 concurrent starts of a small definition: all recorded, all complete, none lost.
    var small = (await CallAsync(http, "CreateStateMachine", new JsonObject
    {
        ["name"] = "bench-small",
        ["roleArn"] = "arn:aws:iam::000000000000:role/bench",
        ["definition"] = """{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"ok":true},"ResultPath":"$.a","Next":"B"},"B":{"Type":"Wait","Seconds":1,"Next":"C"},"C":{"Type":"Pass","End":true}}}""",
    }))["stateMachineArn"]!.GetValue<string>();
    // An executions page open during the burst: how many row updates its stream pushes, and whether the last shows every run ended.
    using var watcher = await OpenStreamAsync(http, "/ui/executions/stream");
    await ReadMessageAsync(watcher.Reader, "rows");
    using var stopWatching = new CancellationTokenSource();
    var pushed = 0;
    var lastPushed = string.Empty;
    var watching = Task.Run(async () =>
    {
        try
        {
            while (true)
            {
                lastPushed = await ReadMessageAsync(watcher.Reader, "rows", stopWatching.Token);
                pushed++;
            }
        }
        catch (OperationCanceledException)
        {
        }
    });
    var burst = Stopwatch.StartNew();
    var started = await Task.WhenAll(Enumerable.Range(0, starts).Select(i => CallAsync(http, "StartExecution", new JsonObject
    {
        ["stateMachineArn"] = small, ["name"] = "burst-" + i.ToString(CultureInfo.InvariantCulture), ["input"] = $$"""{"i":{{i}}}""",
    })));
    var acceptedIn = burst.Elapsed;
    var arns = started.Select(s => s["executionArn"]!.GetValue<string>()).ToList();
    var statuses = new Dictionary<string, string>();
    var deadline = DateTime.UtcNow.AddMinutes(5);
    while (DateTime.UtcNow < deadline)
    {
        foreach (var arn in arns.Where(a => !statuses.ContainsKey(a) || statuses[a] == "RUNNING").ToList())
        {
            statuses[arn] = (await CallAsync(http, "DescribeExecution", new JsonObject { ["executionArn"] = arn }))["status"]!.GetValue<string>();
        }

        if (statuses.Values.All(s => s != "RUNNING"))
        {
            break;
        }

        await Task.Delay(100);
    }

    var completedIn = burst.Elapsed;
    await Task.Delay(TimeSpan.FromSeconds(1));
    await stopWatching.CancelAsync();
    await watching;
    var streamShowsAllEnded = lastPushed.Contains("burst-", StringComparison.Ordinal) && !lastPushed.Contains("data-status=\"RUNNING\"", StringComparison.Ordinal);
    var listed = (await CallAsync(http, "ListExecutions", new JsonObject { ["stateMachineArn"] = small, ["maxResults"] = 1000 }))["executions"]!.AsArray();
    var succeeded = statuses.Values.Count(s => s == "SUCCEEDED");
    var distinctInputs = arns.Select(a => server.Launcher.Store.FindByArn(a)!.Input).Distinct().Count();

    var machine = $"{Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
    var json = new JsonObject
    {
        ["machine"] = machine,
        ["storedExecutions"] = executions,
        ["listExecutionsFirstPageMs"] = Stats(firstPage),
        ["listExecutionsPage91Ms"] = Stats(deepPage),
        ["listExecutionsStatusFilterMs"] = Stats(filtered),
        ["executionsPageMs"] = Stats(listPage),
        ["executionsRowsFilteredMs"] = Stats(listRows),
        ["executionsStreamFirstMessageMs"] = Stats(streamFirst),
        ["streamPushesDuringStarts"] = pushed,
        ["streamShowsAllEnded"] = streamShowsAllEnded,
        ["concurrentStarts"] = starts,
        ["startsAcceptedSeconds"] = Math.Round(acceptedIn.TotalSeconds, 2),
        ["allCompletedSeconds"] = Math.Round(completedIn.TotalSeconds, 2),
        ["succeeded"] = succeeded,
        ["listed"] = listed.Count,
        ["distinctInputs"] = distinctInputs,
    };
    Directory.CreateDirectory(outDir);
    await File.WriteAllTextAsync(Path.Combine(outDir, "console.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    var md = new StringBuilder();
    md.AppendLine("# Console and Step Functions API benchmark").AppendLine();
    md.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/StockFlow.Bench.Console` on {machine}.").AppendLine();
    md.AppendLine(CultureInfo.InvariantCulture, $"{executions:N0} stored executions (6 events each), server on 127.0.0.1, {samples} timed requests each after one warm-up, over real HTTP.").AppendLine();
    md.AppendLine("| request | median | p95 | max | target |").AppendLine("|---|---|---|---|---|");
    Row(md, "ListExecutions, first page of 100", firstPage, "< 200 ms");
    Row(md, "ListExecutions, page 91 (nextToken after 9,000)", deepPage, "< 200 ms");
    Row(md, "ListExecutions, statusFilter FAILED", filtered, "< 200 ms");
    Row(md, "executions page `/` (50 rows, HTML)", listPage, "< 200 ms");
    Row(md, "executions rows filtered by status and name", listRows, "");
    Row(md, "live executions list: a new Server-Sent Events stream's first rows message", streamFirst, "");
    md.AppendLine();
    md.AppendLine(CultureInfo.InvariantCulture, $"{starts} concurrent StartExecution calls (Pass, Wait 1 s fast-forwarded, Pass): all accepted in {acceptedIn.TotalSeconds:0.00} s, all ended in {completedIn.TotalSeconds:0.00} s; **{succeeded} SUCCEEDED**, {listed.Count} listed by ListExecutions, {distinctInputs} distinct inputs recorded (none lost). An executions page open meanwhile got {pushed} row updates pushed by its stream{(streamShowsAllEnded ? ", the last with every run ended" : "; its last still showed a run RUNNING")}.");
    await File.WriteAllTextAsync(Path.Combine(outDir, "console.md"), md.ToString());
    Console.WriteLine(md);
    return succeeded == starts && listed.Count == starts && streamShowsAllEnded ? 0 : 1;
}
finally
{
    try
    {
        Directory.Delete(dataDir, recursive: true);
    }
    catch (IOException)
    {
    }
}

static void Seed(DataDirectory directory, int count)
{
    using var store = new ExecutionStore(directory.ExecutionsDatabase);
    var machine = LocalResourceNames.StateMachineArn(LocalResourceNames.StateMachineName);
    var start = DateTimeOffset.UtcNow.AddDays(-30);
    string[] statuses = ["SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED", "ABORTED"];
    for (var i = 0; i < count; i++)
    {
        var name = "seed-" + i.ToString("00000", CultureInfo.InvariantCulture);
        var arn = LocalResourceNames.ExecutionArn(LocalResourceNames.StateMachineName, name);
        var at = start.AddMinutes(i * 4);
        store.CreateExecution(new ExecutionRecord(arn, name, machine, "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}", $$"""{"provider":"sample","symbols":["S{{i}}"]}""", at, directory.Root));
        for (var e = 1; e <= 6; e++)
        {
            store.AppendEvent(arn, new StoredEvent(e, e - 1, e == 1 ? "ExecutionStarted" : e == 6 ? "ExecutionSucceeded" : "PassStateEntered", at.AddSeconds(e), "{}"));
        }

        var status = statuses[i % statuses.Length];
        store.Complete(arn, status, "{}", status == "FAILED" ? "States.TaskFailed" : null, null, at.AddSeconds(7));
    }
}

static async Task<List<double>> TimeAsync<T>(int samples, Func<Task<T>> call)
{
    await call();
    var times = new List<double>();
    for (var i = 0; i < samples; i++)
    {
        var watch = Stopwatch.StartNew();
        await call();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    return times;
}

static JsonObject Stats(List<double> sorted) => new()
{
    ["median"] = Math.Round(sorted[sorted.Count / 2], 1),
    ["p95"] = Math.Round(sorted[(int)(sorted.Count * 0.95)], 1),
    ["max"] = Math.Round(sorted[^1], 1),
};

static void Row(StringBuilder md, string what, List<double> sorted, string target) =>
    md.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {sorted[sorted.Count / 2]:0.0} ms | {sorted[(int)(sorted.Count * 0.95)]:0.0} ms | {sorted[^1]:0.0} ms | {target} |");

static async Task<JsonObject> CallAsync(HttpClient http, string operation, JsonObject request)
{
    using var message = new HttpRequestMessage(HttpMethod.Post, "/");
    message.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSStepFunctions." + operation);
    message.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261206/us-east-1/states/aws4_request, SignedHeaders=host;x-amz-target, Signature=00");
    message.Content = new StringContent(request.ToJsonString(), Encoding.UTF8);
    message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
    using var response = await http.SendAsync(message);
    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"{operation}: {body.ToJsonString()}");
}

static async Task<EventStream> OpenStreamAsync(HttpClient http, string path)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
    request.Headers.Accept.ParseAdd("text/event-stream");
    var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    response.EnsureSuccessStatusCode();
    return new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
}

// Reads a Server-Sent Events stream until a message of the given event has ended; returns its data.
static async Task<string> ReadMessageAsync(StreamReader reader, string eventName, CancellationToken cancellationToken = default)
{
    string? current = null;
    var data = new StringBuilder();
    while (true)
    {
        var line = await reader.ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException("The event stream ended.");
        if (line.Length == 0)
        {
            if (current == eventName)
            {
                return data.ToString();
            }

            current = null;
            data.Clear();
        }
        else if (line.StartsWith("event: ", StringComparison.Ordinal))
        {
            current = line["event: ".Length..];
        }
        else if (line.StartsWith("data: ", StringComparison.Ordinal))
        {
            data.Append(data.Length > 0 ? "\n" : string.Empty).Append(line["data: ".Length..]);
        }
    }
}

int Arg(string name, int fallback) => ArgText(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

string? ArgText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "StockFlow.sln")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? Directory.GetCurrentDirectory();
}

/// <summary>An open Server-Sent Events response and its reader.</summary>
internal sealed record EventStream(HttpResponseMessage Response, StreamReader Reader) : IDisposable
{
    public void Dispose()
    {
        Reader.Dispose();
        Response.Dispose();
    }
}
