using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Core.Lake;
using StockFlow.Csv;
using StockFlow.Functions.Hosting;
using StockFlow.Functions.Ingest;
using StockFlow.Functions.Lake;
using StockFlow.Functions.Plan;
using StockFlow.Reporting;
using StockFlow.Reporting.Csv;
using StockFlow.Reporting.Model;
using StockFlow.Storage;

namespace StockFlow.Functions.Report;

/// <summary>
/// The <c>report</c> function: reads each query's result where Athena wrote it
/// (<c>OutputLocation</c> of the QueryExecution), keeps a copy under the stable key
/// <c>results/&lt;execution&gt;/&lt;query&gt;.csv</c>, and writes the HTML report with the charts to
/// <c>reports/&lt;execution&gt;/index.html</c>.
/// </summary>
public sealed class ReportHandler(IObjectStore store, TimeProvider clock) : ILambdaHandler
{
    /// <summary>The function's name: its <c>_HANDLER</c> on AWS, its <c>FunctionName</c> locally.</summary>
    public const string FunctionName = "report";

    /// <inheritdoc/>
    public string Name => FunctionName;

    /// <inheritdoc/>
    public async Task<JsonNode?> HandleAsync(JsonNode? payload, CancellationToken cancellationToken)
    {
        var request = HandlerJson.Read<ReportRequest>(payload, Name);
        return HandlerJson.Write(await ReportAsync(request, cancellationToken));
    }

    /// <summary>Copies each query's result to its stable key and writes the HTML report.</summary>
    /// <exception cref="InvalidPayloadException">An unknown query, or a query without an <c>s3://bucket/key</c> output location.</exception>
    /// <exception cref="MissingLakeObjectException">A query's result is not where Athena said it wrote it, or the ingest summary is missing.</exception>
    /// <exception cref="CorruptLakeObjectException">A result is not a readable CSV with the query's columns, or the ingest summary is unreadable.</exception>
    public async Task<ReportResult> ReportAsync(ReportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var executionName = ExecutionNames.Validate(request.ExecutionName);

        // The first chart of a process costs about a second (JIT, plotly.js); pay it while the results download.
        var warmUp = Task.Run(ReportBuilder.WarmUp, cancellationToken);
        var results = new Dictionary<string, string>(StringComparer.Ordinal);
        var rows = new QueryRows();
        foreach (var query in request.Queries ?? [])
        {
            if (!ReportCsv.QueryNames.Contains(query.Query, StringComparer.Ordinal))
            {
                throw new InvalidPayloadException($"Unknown query '{query.Query}' in the report payload.");
            }

            var location = query.Athena?.OutputLocation
                ?? throw new InvalidPayloadException($"Query '{query.Query}' has no output location.");
            if (!S3Uri.TryParse(location, out var bucket, out var key) || key.Length == 0)
            {
                throw new InvalidPayloadException($"'{location}' is not an s3://bucket/key location.");
            }


            // The bytes are held once: copied to the stable key, then parsed record by record into rows.
            var content = await store.GetBytesAsync(bucket, key, cancellationToken)
                ?? throw new MissingLakeObjectException($"The result of query '{query.Query}' is missing at {location}.");
            var stableKey = LakeKeys.Result(executionName, query.Query);
            await store.PutAsync(request.Bucket, stableKey, content, cancellationToken);
            results[query.Query] = stableKey;
            using var reader = new StreamReader(new MemoryStream(content, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            try
            {
                rows.Read(query.Query, reader);
            }
            catch (CsvFormatException ex)
            {
                throw new CorruptLakeObjectException($"The result of query '{query.Query}' at {location} is not a readable result: {ex.Message}", ex);
            }
        }

        var queryResults = rows.ToResults();

        // A period asked as "everything" (e.g. 1900-01-01 for landing files) is shown as the dates the data has.
        var (from, to) = (request.Period.From, request.Period.To);
        if (queryResults.AverageReturns.Count > 0)
        {
            from = new[] { from, queryResults.AverageReturns.Min(r => r.FirstDate) }.Max();
            to = new[] { to, queryResults.AverageReturns.Max(r => r.LastDate) }.Min();
        }

        var ingestion = await ReadIngestionAsync(request, cancellationToken);
        var transform = await ReadTransformAsync(request.Bucket, executionName, cancellationToken);
        var data = new ReportData
        {
            ExecutionId = executionName,
            PeriodFrom = from,
            PeriodTo = to,
            GeneratedAt = clock.GetUtcNow(),
            DataLabel = request.DataLabel,
            Symbols = ingestion.Select(i => i.Symbol).ToList(),
            Ingestion = ingestion.Select(i => new IngestionSummaryRow(
                i.Symbol, i.RowsAccepted, i.RowsRejected, i.Status, i.Error is null ? null : $"{i.Error}: {i.Cause}")).ToList(),
            Results = queryResults,
            Transform = transform is null ? null : new TransformSummary(transform.Mode, transform.Symbols.Count, transform.RowsRead,
                transform.RowsWritten, transform.RowsExcluded, transform.ExcludedByReason),
        };

        var reportKey = LakeKeys.Report(executionName);
        await warmUp;
        using (var page = new MemoryStream())
        {
            ReportBuilder.Write(data, page);
            page.Position = 0;
            await store.PutAsync(request.Bucket, reportKey, page, cancellationToken);
        }

        return new ReportResult(reportKey, results);
    }

    /// <summary>Every symbol's ingest outcome, from the object the summarize step wrote (none when the payload names none).</summary>
    private async Task<IReadOnlyList<SymbolOutcome>> ReadIngestionAsync(ReportRequest request, CancellationToken cancellationToken)
    {
        if (request.IngestSummaryKey is not { } key)
        {
            return [];
        }

        var bytes = await store.GetBytesAsync(request.Bucket, key, cancellationToken)
            ?? throw new MissingLakeObjectException($"The ingest summary {key} is missing from the lake.");
        try
        {
            return JsonSerializer.Deserialize(bytes, HandlerJson.TypeInfo<List<SymbolOutcome>>()) ?? [];
        }
        catch (JsonException ex)
        {
            throw new CorruptLakeObjectException($"The ingest summary {key} is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>The transform job's statistics (the Glue job's on AWS, the local job's locally), or null when it wrote none.</summary>
    private async Task<TransformJobStatistics?> ReadTransformAsync(string bucket, string executionName, CancellationToken cancellationToken)
    {
        var key = TransformJobStatistics.Key(executionName);
        var bytes = await store.GetBytesAsync(bucket, key, cancellationToken);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, HandlerJson.TypeInfo<TransformJobStatistics>())
                ?? throw new CorruptLakeObjectException($"The transform statistics {key} are empty.");
        }
        catch (JsonException ex)
        {
            throw new CorruptLakeObjectException($"The transform statistics {key} are not valid JSON: {ex.Message}", ex);
        }
    }

}

/// <summary>The typed rows of each query result read so far; a query absent from the payload has none.</summary>
internal sealed class QueryRows
{
    private IReadOnlyList<AverageReturnRow> _averageReturns = [];
    private IReadOnlyList<VolatilityRankingRow> _volatilityRanking = [];
    private IReadOnlyList<MarketTrendRow> _marketTrend = [];
    private IReadOnlyList<PriceHistoryRow> _priceHistory = [];

    public void Read(string query, TextReader reader)
    {
        var source = query + ".csv";
        switch (query)
        {
            case ReportCsv.AverageReturnQuery: _averageReturns = ReportCsv.ReadAverageReturns(reader, source); break;
            case ReportCsv.VolatilityRankingQuery: _volatilityRanking = ReportCsv.ReadVolatilityRanking(reader, source); break;
            case ReportCsv.MarketTrendQuery: _marketTrend = ReportCsv.ReadMarketTrend(reader, source); break;
            case ReportCsv.PriceHistoryQuery: _priceHistory = ReportCsv.ReadPriceHistory(reader, source); break;
            default: break; // a query the report does not draw is still copied to its stable key
        }
    }

    public ReportQueryResults ToResults() => new(_averageReturns, _volatilityRanking, _marketTrend, _priceHistory);
}

/// <summary>The report function's payload: the execution, the plan's period and labels, and the Analyze Map's output.</summary>
/// <param name="ExecutionName">The execution (the report's and the results' keys name it).</param>
/// <param name="Bucket">The lake bucket.</param>
/// <param name="Period">The analysed dates, shown in the report.</param>
/// <param name="Provider">The provider the prices came from; null when unknown.</param>
/// <param name="DataLabel">How the report labels the data (e.g. "synthetic sample data, not market prices"); null for none.</param>
/// <param name="IngestSummaryKey">The summarize step's per-symbol summary, whose failures the report lists; null for none.</param>
/// <param name="Queries">Each query and where its result is; null or empty draws a report without charts.</param>
public sealed record ReportRequest(
    string ExecutionName,
    string Bucket,
    AnalysisPeriod Period,
    string? Provider,
    string? DataLabel,
    string? IngestSummaryKey,
    IReadOnlyList<QueryOutcome>? Queries);

/// <summary>One item of the Analyze Map's output: the query and where Athena wrote its result.</summary>
public sealed record QueryOutcome(string Query, AthenaOutcome? Athena);

/// <summary>The part of Athena's <c>QueryExecution</c> the report reads.</summary>
/// <param name="QueryExecutionId">Athena's id of the query run.</param>
/// <param name="OutputLocation">Where the result CSV is, <c>s3://bucket/key</c>; required.</param>
/// <param name="State">The run's state (<c>SUCCEEDED</c>).</param>
public sealed record AthenaOutcome(string? QueryExecutionId, string? OutputLocation, string? State);

/// <summary>The report function's answer.</summary>
/// <param name="ReportKey">The HTML report's key, <c>reports/&lt;execution&gt;/index.html</c>.</param>
/// <param name="Results">Each query's stable result key, <c>results/&lt;execution&gt;/&lt;query&gt;.csv</c>, by query name.</param>
public sealed record ReportResult(string ReportKey, IReadOnlyDictionary<string, string> Results);
