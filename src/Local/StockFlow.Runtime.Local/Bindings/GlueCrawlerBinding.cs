using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.GlueAthena.Local.Catalog;
using StockFlow.Asl;
using StockFlow.Storage;

namespace StockFlow.Runtime.Local.Bindings;

/// <summary>
/// <c>aws-sdk:glue:startCrawler</c> and <c>getCrawler</c>: the local crawler runs in the background
/// like Glue's, so the definition's crawl-and-wait loop runs for real. Answers use Glue's shapes
/// (<c>{"Crawler":{"State":"RUNNING|READY","LastCrawl":{"Status":"SUCCEEDED|FAILED",...}}}</c>) and
/// Glue's error names (<c>Glue.CrawlerRunningException</c>, <c>Glue.EntityNotFoundException</c>).
/// The last crawl is kept in the catalog folder, so a redriven execution in a new process
/// still sees it.
/// </summary>
public sealed class GlueCrawlerBinding : IResourceBinding
{
    /// <summary>Starts a crawl; <c>Glue.CrawlerRunningException</c> when one is running.</summary>
    public const string StartCrawler = "arn:aws:states:::aws-sdk:glue:startCrawler";
    /// <summary>The crawler's state and its last crawl.</summary>
    public const string GetCrawler = "arn:aws:states:::aws-sdk:glue:getCrawler";

    private readonly DataDirectory _directory;
    private readonly string _crawlerName;
    private readonly string _database;
    private readonly IReadOnlyList<CrawlerTarget> _targets;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _pollGrace;
    private readonly Lock _gate = new();
    private Task? _running;

    /// <param name="directory">The data directory: the lake crawled and the catalog written.</param>
    /// <param name="crawlerName">The one crawler name this binding answers; others are <c>Glue.EntityNotFoundException</c>.</param>
    /// <param name="database">The catalog database the crawler's tables go into.</param>
    /// <param name="targets">The table folders crawled.</param>
    /// <param name="clock">Gives the crawl times.</param>
    /// <param name="pollGrace">
    /// How long getCrawler lets a running crawl progress before answering RUNNING. Local Wait
    /// states are fast-forwarded, so without it a poll loop would spin through its budget.
    /// </param>
    public GlueCrawlerBinding(DataDirectory directory, string crawlerName, string database, IReadOnlyList<CrawlerTarget> targets, TimeProvider clock, TimeSpan pollGrace)
    {
        _directory = directory;
        _crawlerName = crawlerName;
        _database = database;
        _targets = targets;
        _clock = clock;
        _pollGrace = pollGrace;
    }

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Resources { get; } = [StartCrawler, GetCrawler];

    private string StatePath => Path.Combine(_directory.CatalogDirectory, "crawlers", _crawlerName + ".json");

    /// <inheritdoc/>
    public async Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var name = AwsShapes.RequiredString(invocation.Parameters, "Name", invocation.Resource);
        if (!string.Equals(name, _crawlerName, StringComparison.Ordinal))
        {
            throw new StatesErrorException("Glue.EntityNotFoundException", $"Crawler entry with name {name} does not exist");
        }

        if (invocation.Resource == StartCrawler)
        {
            Start();
            return new JsonObject();
        }

        if (_running is null && Load() is { State: "RUNNING" })
        {
            // The process that ran this crawl died (a killed run being redriven): crawl again,
            // which is safe because a crawl only rewrites catalog metadata.
            Start();
        }

        var running = _running;
        if (running is { IsCompleted: false })
        {
            await Task.WhenAny(running, Task.Delay(_pollGrace, cancellationToken));
        }

        return Describe();
    }

    private void Start()
    {
        lock (_gate)
        {
            if (_running is { IsCompleted: false })
            {
                throw new StatesErrorException("Glue.CrawlerRunningException", $"Crawler with name {_crawlerName} has already started");
            }

            var startTime = _clock.GetUtcNow();
            Save(new CrawlState("RUNNING", null, startTime, null, null));
            // The crawl outlives the Task state that started it, as on Glue.
            _running = Task.Run(async () =>
            {
                try
                {
                    var result = await LocalCrawler.CrawlAsync(_directory.BucketRoot, _directory.CatalogDirectory, _targets, _database, _clock);
                    Save(result.Succeeded
                        ? new CrawlState("READY", "SUCCEEDED", startTime, _clock.GetUtcNow(), null, Summary(result))
                        : new CrawlState("READY", "FAILED", startTime, _clock.GetUtcNow(), string.Join("; ", result.Errors), Summary(result)));
                }
#pragma warning disable CA1031 // a crawl failure is reported through LastCrawl, as Glue does
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Save(new CrawlState("READY", "FAILED", startTime, _clock.GetUtcNow(), ex.Message));
                }
            });
        }
    }

    private JsonObject Describe()
    {
        var state = Load() ?? new CrawlState("READY", null, null, null, null);
        var crawler = new JsonObject
        {
            ["Name"] = _crawlerName,
            ["Role"] = "arn:aws:iam::000000000000:role/stockflow-crawler",
            ["DatabaseName"] = _database,
            ["Targets"] = new JsonObject
            {
                ["S3Targets"] = new JsonArray(_targets.Select(t => (JsonNode?)new JsonObject
                {
                    ["Path"] = S3Uri.Format(_directory.Bucket, t.Prefix + "/"),
                }).ToArray()),
            },
            ["State"] = state.State,
            ["Configuration"] = """{"Version":1.0,"Grouping":{"TableGroupingPolicy":"CombineCompatibleSchemas"}}""",
        };
        if (state.Status is not null)
        {
            var lastCrawl = new JsonObject
            {
                ["Status"] = state.Status,
                ["StartTime"] = state.StartTime is { } s ? AwsShapes.Timestamp(s) : null,
            };
            if (state.ErrorMessage is not null)
            {
                lastCrawl["ErrorMessage"] = state.ErrorMessage;
            }

            if (state.Summary is not null)
            {
                lastCrawl["MessagePrefix"] = state.Summary;
            }

            crawler["LastCrawl"] = lastCrawl;
        }

        return new JsonObject { ["Crawler"] = crawler };
    }

    private static string Summary(CrawlResult result) => JsonSerializer.Serialize(result, LocalCatalog.JsonOptions);

    private CrawlState? Load()
    {
        lock (_gate)
        {
            return File.Exists(StatePath) ? JsonSerializer.Deserialize<CrawlState>(File.ReadAllText(StatePath)) : null;
        }
    }

    private void Save(CrawlState state)
    {
        lock (_gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(StatePath)!);
            var temporary = StatePath + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(state));
            File.Move(temporary, StatePath, overwrite: true);
        }
    }

    private sealed record CrawlState(string State, string? Status, DateTimeOffset? StartTime, DateTimeOffset? EndTime, string? ErrorMessage, string? Summary = null);
}
