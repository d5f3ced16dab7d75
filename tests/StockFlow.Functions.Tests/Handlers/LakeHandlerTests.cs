using System.Text.Json.Nodes;
using StockFlow.Core.Symbols;
using StockFlow.Functions.Hosting;
using StockFlow.Functions.Ingest;
using StockFlow.Functions.Lake;
using StockFlow.Functions.Plan;
using StockFlow.Functions.Tests.Lake;
using StockFlow.Providers;
using StockFlow.Storage;
using StockFlow.Storage.Tests;

namespace StockFlow.Functions.Tests.Handlers;

/// <summary>
/// The plan and ingest handlers against one object store: watermarks, backfills, idempotent rewrites,
/// quarantine and symbol checks. Run once per real store (filesystem and S3 on s3rver) by the subclasses.
/// </summary>
public abstract class LakeHandlerTests : IAsyncLifetime
{
    private TestLake? _lake;

    protected TestLake Lake => _lake ?? throw new InvalidOperationException("The lake is created in InitializeAsync.");

    protected ScriptedProvider Provider { get; } = new();

    protected abstract Task<TestLake> CreateLakeAsync();

    public async Task InitializeAsync() => _lake = await CreateLakeAsync();

    public async Task DisposeAsync()
    {
        if (_lake is not null)
        {
            await _lake.DisposeAsync();
        }
    }

    private PlanHandler Plan() => new(Lake.Store, Lake.Clock);

    private IngestHandler Ingest() => new(Lake.Store, _ => Provider, Lake.Clock);

    private Task<PlanResult> PlanAsync(PipelineRequest request, string execution = "exec-1") =>
        Plan().PlanAsync(new PlanPayload(request, execution, Lake.Bucket), CancellationToken.None);

    private async Task<List<IngestResult>> IngestAllAsync(PlanResult plan)
    {
        var results = new List<IngestResult>();
        foreach (var item in plan.Items)
        {
            results.Add(await Ingest().IngestAsync(item, CancellationToken.None));
        }

        return results;
    }

    private async Task<List<string>> RawLinesAsync(string symbol, int year)
    {
        var text = await Lake.TextAsync(LakeKeys.RawPrices(symbol, year)) ?? throw new InvalidOperationException($"no raw file {symbol} {year}");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    [Fact]
    public async Task A_run_without_from_is_incremental_per_symbol_from_its_watermark()
    {
        await new Watermark("AAPL", new DateOnly(2024, 3, 8), "yahoo", Lake.Clock.GetUtcNow()).WriteAsync(Lake.Store, Lake.Bucket, CancellationToken.None);

        var plan = await PlanAsync(new PipelineRequest(["aapl", "MSFT"], To: "2024-03-14", Provider: "yahoo"));

        var aapl = Assert.Single(plan.Items, i => i.Symbol == "AAPL");
        Assert.Equal(("2024-03-09", "2024-03-14", false), (aapl.From, aapl.To, aapl.Backfill));
        var msft = Assert.Single(plan.Items, i => i.Symbol == "MSFT");
        Assert.Equal(("2019-03-15", "2024-03-14", false), (msft.From, msft.To, msft.Backfill)); // a new symbol gets 5 years
        Assert.All(plan.Items, i => Assert.Equal(("yahoo", Lake.Bucket, "exec-1"), (i.Provider, i.Bucket, i.ExecutionName)));
    }

    [Fact]
    public async Task A_daily_run_fetches_only_the_missing_days()
    {
        var first = await PlanAsync(new PipelineRequest(["AAPL"], From: "2024-03-04", To: "2024-03-08", Provider: "yahoo"));
        var firstResult = Assert.Single(await IngestAllAsync(first));
        Assert.Equal((5, 5, "2024-03-08"), (firstResult.RowsAccepted, firstResult.RowsWritten, firstResult.LastDate));

        // The next day's scheduled run (no from): only 2024-03-11 is new.
        var daily = await PlanAsync(new PipelineRequest(["AAPL"], To: "2024-03-11", Provider: "yahoo"), "exec-2");
        var item = Assert.Single(daily.Items);
        Assert.Equal(("2024-03-09", "2024-03-11"), (item.From, item.To));
        var dailyResult = await Ingest().IngestAsync(item, CancellationToken.None);
        Assert.Equal((1, 1, "2024-03-11"), (dailyResult.RowsAccepted, dailyResult.RowsWritten, dailyResult.LastDate));
        Assert.Equal(new PriceRequest("AAPL", new(2024, 3, 9), new(2024, 3, 11)), Provider.Requests.Last());

        Assert.Equal(1 + 6, (await RawLinesAsync("AAPL", 2024)).Count);
        var watermark = await Watermark.ReadAsync(Lake.Store, Lake.Bucket, "AAPL", CancellationToken.None);
        Assert.Equal(new DateOnly(2024, 3, 11), watermark!.LastDate);
    }

    [Fact]
    public async Task A_run_that_is_already_up_to_date_fetches_nothing()
    {
        await new Watermark("AAPL", new DateOnly(2024, 3, 14), "yahoo", Lake.Clock.GetUtcNow()).WriteAsync(Lake.Store, Lake.Bucket, CancellationToken.None);
        var plan = await PlanAsync(new PipelineRequest(["AAPL"], To: "2024-03-14", Provider: "yahoo"));

        var result = Assert.Single(await IngestAllAsync(plan));

        Assert.True(result.UpToDate);
        Assert.Equal(("ok", 0), (result.Status, result.RowsWritten));
        Assert.Empty(Provider.Requests);
    }

    [Fact]
    public async Task An_explicit_range_is_a_backfill_that_ignores_the_watermark_and_never_moves_it_back()
    {
        await new Watermark("AAPL", new DateOnly(2024, 3, 14), "yahoo", Lake.Clock.GetUtcNow()).WriteAsync(Lake.Store, Lake.Bucket, CancellationToken.None);

        var plan = await PlanAsync(new PipelineRequest(["AAPL"], From: "2023-12-27", To: "2024-01-03", Provider: "yahoo"));
        var item = Assert.Single(plan.Items);
        Assert.Equal(("2023-12-27", "2024-01-03", true), (item.From, item.To, item.Backfill));
        Assert.Equal(new AnalysisPeriod("2023-12-27", "2024-01-03"), plan.Period);

        var result = await Ingest().IngestAsync(item, CancellationToken.None);

        Assert.Equal(6, result.RowsWritten); // 27, 28, 29 Dec, 1, 2, 3 Jan (weekdays; no calendar filling)
        Assert.Equal(1 + 3, (await RawLinesAsync("AAPL", 2023)).Count);
        Assert.Equal(1 + 3, (await RawLinesAsync("AAPL", 2024)).Count);
        var watermark = await Watermark.ReadAsync(Lake.Store, Lake.Bucket, "AAPL", CancellationToken.None);
        Assert.Equal(new DateOnly(2024, 3, 14), watermark!.LastDate);
    }

    [Fact]
    public async Task Rerunning_a_range_never_duplicates_rows_and_the_last_ingested_value_wins()
    {
        var plan = await PlanAsync(new PipelineRequest(["AAPL"], From: "2024-03-04", To: "2024-03-08", Provider: "yahoo"));
        await IngestAllAsync(plan);
        var before = await RawLinesAsync("AAPL", 2024);

        var again = Assert.Single(await IngestAllAsync(plan));
        Assert.Equal((5, 0), (again.RowsAccepted, again.RowsWritten));
        Assert.Equal(before, await RawLinesAsync("AAPL", 2024));

        // The source corrects one day: the re-run rewrites that row in place.
        Provider.Override("AAPL", new(2024, 3, 6), "50", "55", "49", "54", "53.5", "777");
        var corrected = Assert.Single(await IngestAllAsync(plan));
        Assert.Equal(1, corrected.RowsWritten);
        var lines = await RawLinesAsync("AAPL", 2024);
        Assert.Equal(before.Count, lines.Count);
        Assert.Equal("2024-03-06,50,55,49,54,53.5,777", Assert.Single(lines, l => l.StartsWith("2024-03-06", StringComparison.Ordinal)));
        Assert.Equal(lines.Skip(1).Order(StringComparer.Ordinal), lines.Skip(1));
    }

    [Fact]
    public async Task A_raw_file_holding_the_same_bars_in_other_text_is_compared_by_value_and_left_as_it_is()
    {
        var plan = await PlanAsync(new PipelineRequest(["AAPL"], From: "2024-03-04", To: "2024-03-08", Provider: "yahoo"));
        await IngestAllAsync(plan);
        var key = LakeKeys.RawPrices("AAPL", 2024);

        // Another writer's spelling of the same values: trailing zeros, "1000.0" volumes, CRLF line ends.
        var lines = await RawLinesAsync("AAPL", 2024);
        var respelled = string.Join("\r\n", lines.Take(1).Concat(lines.Skip(1).Select(line =>
            string.Join(',', line.Split(',').Select((field, i) => i == 0 || field.Length == 0 ? field : field.Contains('.', StringComparison.Ordinal) ? field + "0" : field + ".0"))))) + "\r\n";
        await Lake.Store.PutTextAsync(Lake.Bucket, key, respelled);

        var again = Assert.Single(await IngestAllAsync(plan));

        Assert.Equal((5, 0), (again.RowsAccepted, again.RowsWritten));
        Assert.Equal(respelled, await Lake.TextAsync(key));
    }

    [Fact]
    public async Task A_raw_file_with_an_invalid_row_stops_the_ingest_and_is_left_untouched()
    {
        var key = LakeKeys.RawPrices("AAPL", 2024);
        const string corrupt = "Date,Open,High,Low,Close,Adj Close,Volume\n2024-03-01,abc,2,1,1.5,1.5,10\n";
        await Lake.Store.PutTextAsync(Lake.Bucket, key, corrupt);
        var plan = await PlanAsync(new PipelineRequest(["AAPL"], From: "2024-03-04", To: "2024-03-08", Provider: "yahoo"));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => IngestAllAsync(plan));

        Assert.Contains($"{key} has 1 invalid row(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("open missing or non-numeric", error.Message, StringComparison.Ordinal);
        Assert.Equal(corrupt, await Lake.TextAsync(key));
    }

    [Fact]
    public async Task Rejected_rows_are_quarantined_with_reasons_and_a_clean_rerun_clears_the_quarantine()
    {
        Provider.Override("AAPL", new(2024, 3, 5), "", "12", "9", "11", "10.5", "100");
        Provider.Override("AAPL", new(2024, 3, 6), "10", "8", "9", "11", "10.5", "100");
        Provider.Override("AAPL", new(2024, 3, 7), "10", "12", "9", "11", "10.5", "-5");
        var plan = await PlanAsync(new PipelineRequest(["AAPL"], From: "2024-03-04", To: "2024-03-08", Provider: "yahoo"));

        var result = Assert.Single(await IngestAllAsync(plan));

        Assert.Equal((5, 2, 3), (result.RowsFetched, result.RowsAccepted, result.RowsRejected));
        Assert.Equal("raw/rejected/symbol=AAPL/exec-1.csv", result.RejectedKey);
        var quarantine = (await Lake.TextAsync(result.RejectedKey!))!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, quarantine.Length);
        Assert.StartsWith("2024-03-05,,12,9,11,10.5,100,open missing or non-numeric,", quarantine[1], StringComparison.Ordinal);
        Assert.Contains("high < low", quarantine[2], StringComparison.Ordinal);
        Assert.Contains("volume", quarantine[3], StringComparison.Ordinal);
        Assert.Equal(["2024-03-04", "2024-03-08"], (await RawLinesAsync("AAPL", 2024)).Skip(1).Select(l => l[..10]));

        Provider.ClearOverrides();
        var clean = Assert.Single(await IngestAllAsync(plan));
        Assert.Equal((0, null), (clean.RowsRejected, clean.RejectedKey));
        Assert.Null(await Lake.TextAsync("raw/rejected/symbol=AAPL/exec-1.csv"));
        Assert.Equal(1 + 5, (await RawLinesAsync("AAPL", 2024)).Count);
    }

    [Fact]
    public async Task Invalid_symbols_are_refused_by_the_plan_before_any_key_is_read_or_written()
    {
        var error = await Assert.ThrowsAsync<InvalidSymbolException>(() =>
            PlanAsync(new PipelineRequest(["AAPL", "../../etc/passwd", "A B"], Provider: "yahoo")));

        Assert.Contains("'../../etc/passwd'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'A B'", error.Message, StringComparison.Ordinal);
        Assert.Empty(await Lake.KeysAsync());
    }

    [Theory]
    [InlineData("../AAPL")]
    [InlineData("AAPL/../../x")]
    [InlineData("AAPL?period1=0")]
    [InlineData("%2e%2e")]
    [InlineData("")]
    public async Task An_ingest_item_with_an_unsafe_symbol_fails_before_any_fetch_or_write(string symbol)
    {
        var item = new IngestItem(symbol, "2024-03-04", "2024-03-08", "yahoo", Lake.Bucket, "exec-1", Backfill: true);

        await Assert.ThrowsAsync<InvalidSymbolException>(() => Ingest().HandleAsync(HandlerJson.Write(item), CancellationToken.None));

        Assert.Empty(Provider.Requests);
        Assert.Empty(await Lake.KeysAsync());
    }

    [Fact]
    public async Task An_unsafe_execution_name_is_refused_before_it_becomes_a_quarantine_key()
    {
        var item = new IngestItem("AAPL", "2024-03-04", "2024-03-08", "yahoo", Lake.Bucket, "../exec", Backfill: true);

        await Assert.ThrowsAsync<ArgumentException>(() => Ingest().IngestAsync(item, CancellationToken.None));

        Assert.Empty(Provider.Requests);
        Assert.Empty(await Lake.KeysAsync());
    }

    [Fact]
    public async Task A_failing_symbol_raises_its_provider_error_and_leaves_the_lake_untouched()
    {
        Provider.Fail("GONE", new SymbolNotFoundException("GONE", "Yahoo does not know 'GONE'"));
        var plan = await PlanAsync(new PipelineRequest(["GONE"], From: "2024-03-04", To: "2024-03-08", Provider: "yahoo"));

        var error = await Assert.ThrowsAsync<SymbolNotFoundException>(() => Ingest().HandleAsync(HandlerJson.Write(plan.Items[0]), CancellationToken.None));

        Assert.Equal("GONE", error.Symbol);
        Assert.Empty(await Lake.KeysAsync());
    }

    [Fact]
    public async Task A_corrupt_watermark_is_a_clear_error_naming_its_key()
    {
        await Lake.Store.PutTextAsync(Lake.Bucket, LakeKeys.Watermark("AAPL"), "{not json");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => PlanAsync(new PipelineRequest(["AAPL"], Provider: "yahoo")));

        Assert.Contains("state/watermarks/AAPL.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_handlers_speak_the_json_the_state_machine_passes()
    {
        var payload = JsonNode.Parse($$"""{"request":{"symbols":["MSFT"],"from":"2024-03-04","to":"2024-03-05","provider":"yahoo"},"executionName":"exec-9","bucket":"{{Lake.Bucket}}"}""");

        var plan = await Plan().HandleAsync(payload, CancellationToken.None);
        var item = plan!["items"]![0]!;
        var result = await Ingest().HandleAsync(item, CancellationToken.None);

        Assert.Equal("MSFT", result!["symbol"]!.GetValue<string>());
        Assert.Equal("ok", result["status"]!.GetValue<string>());
        Assert.Equal(2, result["rowsWritten"]!.GetValue<int>());
        Assert.Null(result["error"]);
    }
}

public sealed class FileSystemLakeHandlerTests : LakeHandlerTests
{
    protected override Task<TestLake> CreateLakeAsync() => TestLake.FileSystemAsync();
}

[Collection(S3ServerCollection.Name)]
public sealed class S3LakeHandlerTests(S3ServerFixture server) : LakeHandlerTests
{
    protected override Task<TestLake> CreateLakeAsync() => TestLake.S3Async(server);
}
