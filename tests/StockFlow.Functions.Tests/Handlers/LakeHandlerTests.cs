using System.Globalization;
using System.Text.Json.Nodes;
using StockFlow.Core.Csv;
using StockFlow.Core.Lake;
using StockFlow.Core.Symbols;
using StockFlow.Functions.Hosting;
using StockFlow.Functions.Ingest;
using StockFlow.Functions.Lake;
using StockFlow.Functions.Plan;
using StockFlow.Functions.Summarize;
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

    private static DateOnly D(string isoDate) => DateOnly.ParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private PlanHandler Plan() => new(Lake.Store, Lake.Clock);

    private IngestHandler Ingest() => new(Lake.Store, (_, _) => new ProviderLease(Provider, null), Lake.Clock);

    private IngestMapDriver Map() => new(Lake.Store, Lake.Bucket, Ingest(), new SummarizeHandler(Lake.Store, Lake.Clock));

    private Task<PlanResult> PlanAsync(PipelineRequest request, string execution = "exec-1") =>
        Plan().PlanAsync(new PlanPayload(request, execution, Lake.Bucket), CancellationToken.None);

    /// <summary>The ingest Map and the summarize step after the plan; each symbol's outcome, in symbol order.</summary>
    private async Task<List<SymbolOutcome>> IngestAllAsync(PlanResult plan, string execution = "exec-1") =>
        (await Map().RunAsync(plan, execution)).Outcomes.ToList();

    private Task<IReadOnlyList<IngestItem>> ItemsAsync(PlanResult plan) => Map().ItemsAsync(plan);

    private Task SetWatermarkAsync(string symbol, DateOnly last) =>
        WatermarkAsync(book => book.Advance(symbol, new Watermark(last, "yahoo", Lake.Clock.GetUtcNow())));

    private async Task WatermarkAsync(Func<WatermarkBook, bool> change)
    {
        var book = await WatermarkBook.ReadAsync(Lake.Store, Lake.Bucket, CancellationToken.None);
        change(book);
        await book.WriteAsync(Lake.Store, Lake.Bucket, CancellationToken.None);
    }

    private async Task<Watermark?> ReadWatermarkAsync(string symbol) =>
        (await WatermarkBook.ReadAsync(Lake.Store, Lake.Bucket, CancellationToken.None)).Find(symbol);

    private static JsonObject Batch(string provider, string bucket, string execution, params IngestItem[] items) => new()
    {
        ["BatchInput"] = HandlerJson.Write(new IngestBatchInput(provider, bucket, execution, Backfill: true)),
        ["Items"] = HandlerJson.Write(items),
    };

    private async Task<List<string>> RawLinesAsync(string symbol, int year)
    {
        var text = await Lake.TextAsync(LakeKeys.RawPrices(symbol, year)) ?? throw new InvalidOperationException($"no raw file {symbol} {year}");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    [Fact]
    public async Task A_run_without_from_is_incremental_per_symbol_from_its_watermark()
    {
        await SetWatermarkAsync("AAPL", new DateOnly(2024, 3, 8));

        var plan = await PlanAsync(new PipelineRequest(["aapl", "MSFT"], To: D("2024-03-14"), Provider: "yahoo"));

        var items = await ItemsAsync(plan);
        Assert.Equal(new IngestItem("AAPL", D("2024-03-09"), D("2024-03-14")), Assert.Single(items, i => i.Symbol == "AAPL"));
        Assert.Equal(new IngestItem("MSFT", D("2019-03-15"), D("2024-03-14")), Assert.Single(items, i => i.Symbol == "MSFT")); // a new symbol gets 5 years
        Assert.Equal(new IngestBatchInput("yahoo", Lake.Bucket, "exec-1", Backfill: false, RequestsPerSecond: 2.0 / 8), plan.BatchInput);
        Assert.Equal(("runs/exec-1/ingest/items.jsonl", 2), (plan.ItemsKey, plan.Symbols));
    }

    [Fact]
    public async Task A_daily_run_fetches_only_the_missing_days()
    {
        var first = await PlanAsync(new PipelineRequest(["AAPL"], From: D("2024-03-04"), To: D("2024-03-08"), Provider: "yahoo"));
        var firstResult = Assert.Single(await IngestAllAsync(first));
        Assert.Equal((5, 5, D("2024-03-08")), (firstResult.RowsAccepted, firstResult.RowsWritten, firstResult.LastDate));

        // The next day's scheduled run (no from): only 2024-03-11 is new.
        var daily = await PlanAsync(new PipelineRequest(["AAPL"], To: D("2024-03-11"), Provider: "yahoo"), "exec-2");
        var item = Assert.Single(await ItemsAsync(daily));
        Assert.Equal((D("2024-03-09"), D("2024-03-11")), (item.From, item.To));
        var dailyResult = Assert.Single(await IngestAllAsync(daily, "exec-2"));
        Assert.Equal((1, 1, D("2024-03-11")), (dailyResult.RowsAccepted, dailyResult.RowsWritten, dailyResult.LastDate));
        Assert.Equal(new PriceRequest("AAPL", new(2024, 3, 9), new(2024, 3, 11)), Provider.Requests.Last());

        Assert.Equal(1 + 6, (await RawLinesAsync("AAPL", 2024)).Count);
        Assert.Equal(new DateOnly(2024, 3, 11), (await ReadWatermarkAsync("AAPL"))!.LastDate);
    }

    [Fact]
    public async Task A_run_that_is_already_up_to_date_fetches_nothing()
    {
        await SetWatermarkAsync("AAPL", new DateOnly(2024, 3, 14));
        var plan = await PlanAsync(new PipelineRequest(["AAPL"], To: D("2024-03-14"), Provider: "yahoo"));

        var result = Assert.Single(await IngestAllAsync(plan));

        Assert.True(result.UpToDate);
        Assert.Equal(("ok", 0), (result.Status, result.RowsWritten));
        Assert.Empty(Provider.Requests);
    }

    [Fact]
    public async Task An_explicit_range_is_a_backfill_that_ignores_the_watermark_and_never_moves_it_back()
    {
        await SetWatermarkAsync("AAPL", new DateOnly(2024, 3, 14));

        var plan = await PlanAsync(new PipelineRequest(["AAPL"], From: D("2023-12-27"), To: D("2024-01-03"), Provider: "yahoo"));
        var item = Assert.Single(await ItemsAsync(plan));
        Assert.Equal((D("2023-12-27"), D("2024-01-03"), true), (item.From, item.To, plan.BatchInput.Backfill));
        Assert.Equal(new AnalysisPeriod(D("2023-12-27"), D("2024-01-03")), plan.Period);

        var result = Assert.Single(await IngestAllAsync(plan));

        Assert.Equal(6, result.RowsWritten); // 27, 28, 29 Dec, 1, 2, 3 Jan (weekdays; no calendar filling)
        Assert.Equal(1 + 3, (await RawLinesAsync("AAPL", 2023)).Count);
        Assert.Equal(1 + 3, (await RawLinesAsync("AAPL", 2024)).Count);
        Assert.Equal(new DateOnly(2024, 3, 14), (await ReadWatermarkAsync("AAPL"))!.LastDate);
    }

    [Fact]
    public async Task Rerunning_a_range_never_duplicates_rows_and_the_last_ingested_value_wins()
    {
        var plan = await PlanAsync(new PipelineRequest(["AAPL"], From: D("2024-03-04"), To: D("2024-03-08"), Provider: "yahoo"));
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
        var plan = await PlanAsync(new PipelineRequest(["AAPL"], From: D("2024-03-04"), To: D("2024-03-08"), Provider: "yahoo"));
        await IngestAllAsync(plan);
        var key = LakeKeys.RawPrices("AAPL", 2024);

        // Another writer's spelling of the same values: trailing zeros, "1000.0" volumes, CRLF line ends.
        var lines = await RawLinesAsync("AAPL", 2024);
        var respelled = string.Join("\r\n", lines.Take(1).Concat(lines.Skip(1).Select(line =>
            string.Join(',', line.Split(',').Select((field, i) => i == 0 || field.Length == 0 ? field : field.Contains('.', StringComparison.Ordinal) ? field + "0" : field + ".0"))))) + "\r\n";
        await Lake.Store.PutTextAsync(Lake.Bucket, key, respelled);
        // As in a lake written before raw-file digests: with a digest, a file that is not what was written is re-fetched.
        await Lake.Store.DeleteAsync(Lake.Bucket, RawFileDigests.Key("AAPL"));

        var again = Assert.Single(await IngestAllAsync(plan));

        Assert.Equal((5, 0), (again.RowsAccepted, again.RowsWritten));
        Assert.Equal(respelled, await Lake.TextAsync(key));
    }

    [Fact]
    public async Task A_raw_file_with_an_invalid_row_fails_its_symbol_and_is_left_untouched()
    {
        var key = LakeKeys.RawPrices("AAPL", 2024);
        const string corrupt = "Date,Open,High,Low,Close,Adj Close,Volume\n2024-03-01,abc,2,1,1.5,1.5,10\n";
        await Lake.Store.PutTextAsync(Lake.Bucket, key, corrupt);
        var plan = await PlanAsync(new PipelineRequest(["AAPL", "MSFT"], From: D("2024-03-04"), To: D("2024-03-08"), Provider: "yahoo"));

        var outcomes = await IngestAllAsync(plan);

        var aapl = Assert.Single(outcomes, o => o.Symbol == "AAPL");
        Assert.Equal(("failed", nameof(InvalidRawFileException)), (aapl.Status, aapl.Error));
        Assert.Contains($"{key} has 1 invalid row(s)", aapl.Cause, StringComparison.Ordinal);
        Assert.Contains("open missing or non-numeric", aapl.Cause, StringComparison.Ordinal);
        Assert.Equal(corrupt, await Lake.TextAsync(key));
        Assert.Equal("ok", Assert.Single(outcomes, o => o.Symbol == "MSFT").Status); // the rest of the batch goes on
    }

    [Fact]
    public async Task Rejected_rows_are_quarantined_with_reasons_and_a_clean_rerun_clears_the_quarantine()
    {
        Provider.Override("AAPL", new(2024, 3, 5), "", "12", "9", "11", "10.5", "100");
        Provider.Override("AAPL", new(2024, 3, 6), "10", "8", "9", "11", "10.5", "100");
        Provider.Override("AAPL", new(2024, 3, 7), "10", "12", "9", "11", "10.5", "-5");
        var plan = await PlanAsync(new PipelineRequest(["AAPL"], From: D("2024-03-04"), To: D("2024-03-08"), Provider: "yahoo"));

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
    public async Task Every_fetched_row_is_accepted_once_or_rejected_with_its_reason_and_the_counts_agree()
    {
        Provider.Append("AAPL", "2024-03-05", "10", "12", "9", "11", "10.5", "100");
        Provider.Append("AAPL", "1899-12-29", "10", "12", "9", "11", "10.5", "100");
        Provider.Append("AAPL", "2099-01-02", "10", "12", "9", "11", "10.5", "100");
        Provider.Append("AAPL", "2024-03-07", "1e308", "1e308", "1e308", "1e308", "1e308", "100");
        Provider.Append("AAPL", "2024-03-06", "10", "12", "9", "11", "10.5", "9223372036854775807");
        var plan = await PlanAsync(new PipelineRequest(["AAPL"], From: D("2024-03-04"), To: D("2024-03-08"), Provider: "yahoo"));

        var result = Assert.Single(await IngestAllAsync(plan));

        Assert.Equal((10, 5, 5), (result.RowsFetched, result.RowsAccepted, result.RowsRejected));
        Assert.Equal(result.RowsFetched, result.RowsAccepted + result.RowsRejected);
        var quarantined = (await Lake.TextAsync(result.RejectedKey!))!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Equal(5, quarantined.Count);
        Assert.Equal(2, quarantined.Count(l => l.Contains(",date out of range,", StringComparison.Ordinal)));
        Assert.Single(quarantined, l => l.StartsWith("2024-03-05,", StringComparison.Ordinal) && l.Contains("\"duplicate date, replaced by a later row\"", StringComparison.Ordinal));
        Assert.Single(quarantined, l => l.Contains(",open out of range,", StringComparison.Ordinal));
        Assert.Single(quarantined, l => l.Contains(",volume out of range,", StringComparison.Ordinal));
        var raw = (await RawLinesAsync("AAPL", 2024)).Skip(1).ToList();
        Assert.Equal(5, raw.Count);
        Assert.Equal("2024-03-05,10,12,9,11,10.5,100", raw[1]);
    }

    [Fact]
    public async Task Reimporting_a_range_replaces_it_so_a_wrong_row_is_corrected_away_and_counted()
    {
        Provider.Append("AAPL", "2024-03-09", "10", "12", "9", "11", "10.5", "100"); // a Saturday
        var plan = await PlanAsync(new PipelineRequest(["AAPL"], From: D("2024-03-04"), To: D("2024-03-10"), Provider: "yahoo"));
        await IngestAllAsync(plan);
        Assert.Contains(await RawLinesAsync("AAPL", 2024), l => l.StartsWith("2024-03-09", StringComparison.Ordinal));

        Provider.ClearOverrides();
        var corrected = Assert.Single(await IngestAllAsync(plan));

        Assert.Equal((5, 0, 1), (corrected.RowsAccepted, corrected.RowsWritten, corrected.RowsRemoved));
        Assert.DoesNotContain(await RawLinesAsync("AAPL", 2024), l => l.StartsWith("2024-03-09", StringComparison.Ordinal));

        // A range outside the stored rows removes nothing.
        var other = await PlanAsync(new PipelineRequest(["AAPL"], From: D("2024-03-11"), To: D("2024-03-12"), Provider: "yahoo"));
        Assert.Equal(0, Assert.Single(await IngestAllAsync(other)).RowsRemoved);
        Assert.Equal(1 + 7, (await RawLinesAsync("AAPL", 2024)).Count);
    }

    [Fact]
    public async Task A_truncated_raw_file_is_detected_and_its_year_re_fetched_before_anything_is_merged_into_it()
    {
        var plan = await PlanAsync(new PipelineRequest(["AAPL"], From: D("2024-01-01"), To: D("2024-03-14"), Provider: "yahoo"));
        await IngestAllAsync(plan);
        var key = LakeKeys.RawPrices("AAPL", 2024);
        var written = await Lake.TextAsync(key);
        Assert.NotNull(await Lake.TextAsync(RawFileDigests.Key("AAPL")));

        // Half a line cut off at the end: "...,1000" would read as a smaller volume.
        await Lake.Store.PutTextAsync(Lake.Bucket, key, written![..^3]);
        var upToDate = await PlanAsync(new PipelineRequest(["AAPL"], Provider: "yahoo"), "exec-2");
        var result = Assert.Single(await IngestAllAsync(upToDate));

        Assert.True(result.UpToDate);
        Assert.Contains("re-fetched", Assert.Single(result.RepairedFiles!), StringComparison.Ordinal);
        Assert.Equal(written, await Lake.TextAsync(key));
        Assert.Contains(Provider.Requests, r => r.From == new DateOnly(2024, 1, 1) && r.To == new DateOnly(2024, 3, 14));
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
    public async Task An_ingest_item_with_an_unsafe_symbol_fails_that_symbol_before_any_fetch_or_write(string symbol)
    {
        var batch = Batch("yahoo", Lake.Bucket, "exec-1", new IngestItem(symbol, D("2024-03-04"), D("2024-03-08")));

        // Its only symbol failed, so the batch fails; the outcome it saved names the symbol's own error.
        await Assert.ThrowsAsync<IngestBatchFailedException>(() => Ingest().HandleAsync(batch, CancellationToken.None));

        Assert.Empty(Provider.Requests);
        var saved = Assert.Single(await Lake.KeysAsync());
        Assert.StartsWith("runs/exec-1/ingest/batches/", saved, StringComparison.Ordinal);
        Assert.Contains(nameof(InvalidSymbolException), await Lake.TextAsync(saved), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsafe_execution_name_is_refused_before_it_becomes_a_key()
    {
        var batch = Batch("yahoo", Lake.Bucket, "../exec", new IngestItem("AAPL", D("2024-03-04"), D("2024-03-08")));

        await Assert.ThrowsAsync<InvalidExecutionNameException>(() => Ingest().HandleAsync(batch, CancellationToken.None));

        Assert.Empty(Provider.Requests);
        Assert.Empty(await Lake.KeysAsync());
    }

    [Fact]
    public async Task A_failing_symbol_is_recorded_with_its_error_and_cause_and_the_others_are_ingested()
    {
        Provider.Fail("GONE", new SymbolNotFoundException("GONE", "Yahoo does not know 'GONE'"));
        var plan = await PlanAsync(new PipelineRequest(["GONE", "MSFT"], From: D("2024-03-04"), To: D("2024-03-08"), Provider: "yahoo"));

        var (summary, outcomes) = await Map().RunAsync(plan, "exec-1");

        var gone = Assert.Single(outcomes, o => o.Symbol == "GONE");
        Assert.Equal(("failed", nameof(SymbolNotFoundException), "Yahoo does not know 'GONE'"), (gone.Status, gone.Error, gone.Cause));
        Assert.Equal((2, 1, 1, 1), (summary.Symbols, summary.Succeeded, summary.Failed, summary.ChangedSymbols));
        Assert.Equal(new SymbolFailure("GONE", nameof(SymbolNotFoundException), "Yahoo does not know 'GONE'"), Assert.Single(summary.Failures));
        Assert.Empty(await Lake.KeysAsync("raw/prices/symbol=GONE/"));
        Assert.Equal("[\"MSFT\"]", await Lake.TextAsync(summary.ChangedSymbolsKey));
    }

    [Fact]
    public async Task A_failing_provider_fails_the_batch_after_saving_what_it_finished_and_a_retry_fetches_only_the_rest()
    {
        Provider.Fail("MSFT", new ProviderThrottledException("MSFT", "429 Too Many Requests"));
        var plan = await PlanAsync(new PipelineRequest(["AAPL", "MSFT", "NVDA"], From: D("2024-03-04"), To: D("2024-03-08"), Provider: "yahoo"));
        var batch = Assert.Single(await Map().BatchesAsync(plan));

        await Assert.ThrowsAsync<ProviderThrottledException>(() => Ingest().HandleAsync(batch, CancellationToken.None));
        Assert.Equal(["AAPL", "MSFT"], Provider.Requests.Select(r => r.Symbol)); // stopped asking after the throttle

        Provider.ClearFailures();
        Provider.Requests.Clear();
        var retried = HandlerJson.Read<IngestBatchResult>(await Ingest().HandleAsync(batch, CancellationToken.None), "test");

        Assert.Equal(["MSFT", "NVDA"], Provider.Requests.Select(r => r.Symbol));
        Assert.Equal((3, 3, 0), (retried.Symbols, retried.Succeeded, retried.Failed));
    }

    [Fact]
    public async Task A_batch_that_failed_is_summarized_with_what_it_finished_and_the_batch_error_for_the_rest()
    {
        Provider.Fail("MSFT", new ProviderThrottledException("MSFT", "503 from the chart API"));
        var plan = await PlanAsync(new PipelineRequest(["AAPL", "MSFT", "NVDA"], From: D("2024-03-04"), To: D("2024-03-08"), Provider: "yahoo"));

        var (summary, outcomes) = await Map().RunAsync(plan, "exec-1");

        Assert.Equal(["ok", "failed", "failed"], outcomes.Select(o => o.Status));
        Assert.All(outcomes.Skip(1), o => Assert.Equal((nameof(ProviderThrottledException), "503 from the chart API"), (o.Error, o.Cause)));
        Assert.Equal((3, 1, 2, 1), (summary.Symbols, summary.Succeeded, summary.Failed, summary.ChangedSymbols));
        Assert.Equal(new DateOnly(2024, 3, 8), (await ReadWatermarkAsync("AAPL"))!.LastDate);
        Assert.Null(await ReadWatermarkAsync("MSFT"));
    }

    [Fact]
    public async Task The_plan_writes_one_line_per_symbol_and_answers_the_same_few_fields_for_ten_thousand_symbols()
    {
        var symbols = Enumerable.Range(0, 10_000).Select(i => "S" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        var answer = await Plan().HandleAsync(HandlerJson.Write(new PlanPayload(new PipelineRequest(symbols, From: D("2024-03-04"), To: D("2024-03-08"), Provider: "sample"), "exec-1", Lake.Bucket)), CancellationToken.None);

        Assert.True(answer!.ToJsonString().Length < 2_000, answer.ToJsonString());
        Assert.Equal(10_000, (await ItemsAsync(HandlerJson.Read<PlanResult>(answer, "test"))).Count);
    }

    [Fact]
    public async Task A_symbol_list_in_the_lake_is_read_by_key_and_a_key_outside_the_lake_is_refused()
    {
        await Lake.Store.PutTextAsync(Lake.Bucket, "symbol-lists/market.txt", "aapl\nMSFT\r\n\nNVDA,KO\n");

        var plan = await PlanAsync(new PipelineRequest(From: D("2024-03-04"), To: D("2024-03-08"), Provider: "sample", SymbolsKey: "symbol-lists/market.txt"));

        Assert.Equal(["AAPL", "MSFT", "NVDA", "KO"], (await ItemsAsync(plan)).Select(i => i.Symbol));
        await Assert.ThrowsAsync<InvalidPayloadException>(() => PlanAsync(new PipelineRequest(Provider: "sample", SymbolsKey: "../outside.txt")));
        await Assert.ThrowsAsync<MissingLakeObjectException>(() => PlanAsync(new PipelineRequest(Provider: "sample", SymbolsKey: "symbol-lists/none.txt")));
    }

    [Fact]
    public async Task Landing_keys_import_only_the_uploaded_files_not_every_file_under_landing()
    {
        await Lake.Store.PutTextAsync(Lake.Bucket, "landing/AAPL.csv", "Date,Open,High,Low,Close,Adj Close,Volume\n");
        await Lake.Store.PutTextAsync(Lake.Bucket, "landing/MSFT.csv", "Date,Open,High,Low,Close,Adj Close,Volume\n");
        await Lake.Store.PutTextAsync(Lake.Bucket, "landing/^GSPC.csv", "Date,Open,High,Low,Close,Adj Close,Volume\n");

        // As the upload trigger sends it: no provider named, one key (S3 events URL-encode keys).
        var plan = await PlanAsync(new PipelineRequest(LandingKeys: ["landing/MSFT.csv", "landing/%5EGSPC.csv"]));

        Assert.Equal("csv", plan.Provider);
        Assert.Equal(["MSFT", "^GSPC"], (await ItemsAsync(plan)).Select(i => i.Symbol));
    }

    [Theory]
    [InlineData("raw/prices/AAPL.csv", null, "landing/<SYMBOL>.csv")]
    [InlineData("landing/archive/AAPL.csv", null, "directly under landing/")]
    [InlineData("landing/.csv", null, "landing/<SYMBOL>.csv")]
    [InlineData("landing/aapl.csv", null, "must be named landing/AAPL.csv")]
    [InlineData("landing/AAPL.csv", "yahoo", "only the csv provider")]
    public async Task A_landing_key_that_is_not_a_landing_file_is_refused_before_anything_is_written(string key, string? provider, string expected)
    {
        var error = await Assert.ThrowsAsync<InvalidPayloadException>(() => PlanAsync(new PipelineRequest(Provider: provider, LandingKeys: [key])));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(await Lake.KeysAsync());
    }

    [Theory]
    [InlineData("2099-01-01", "2099-01-01", "after the last completed weekday 2024-03-14")]
    [InlineData("1850-01-01", "1850-01-31", "before 1900-01-01")]
    public async Task A_range_outside_what_can_exist_is_refused_before_anything_is_written(string from, string to, string expected)
    {
        var error = await Assert.ThrowsAsync<InvalidPayloadException>(() => PlanAsync(new PipelineRequest(["AAPL"], From: D(from), To: D(to), Provider: "yahoo")));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(await Lake.KeysAsync());
    }

    [Fact]
    public async Task A_corrupt_watermarks_object_is_a_clear_error_naming_its_key_and_the_repair()
    {
        await Lake.Store.PutTextAsync(Lake.Bucket, LakeKeys.Watermarks, "{not json");

        var error = await Assert.ThrowsAsync<CorruptLakeObjectException>(() => PlanAsync(new PipelineRequest(["AAPL"], Provider: "yahoo")));

        Assert.Contains("state/watermarks.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("Delete it", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"2024-13-01\"", "'2024-13-01'")]
    [InlineData("\"03/04/2024\"", "'03/04/2024'")]
    [InlineData("20240304", "number")]
    public async Task A_payload_date_that_is_not_yyyy_MM_dd_is_an_invalid_payload_naming_the_field(string from, string shown)
    {
        var payload = JsonNode.Parse($$"""{"request":{"symbols":["MSFT"],"from":{{from}},"provider":"yahoo"},"executionName":"exec-9","bucket":"{{Lake.Bucket}}"}""");

        var error = await Assert.ThrowsAsync<InvalidPayloadException>(() => Plan().HandleAsync(payload, CancellationToken.None));

        Assert.Contains("$.request.from must be a date like 2024-01-31, got " + shown, error.Message, StringComparison.Ordinal);
        Assert.Empty(await Lake.KeysAsync());
    }

    [Fact]
    public async Task The_handlers_speak_the_json_the_state_machine_passes()
    {
        var payload = JsonNode.Parse($$"""{"request":{"symbols":["MSFT"],"from":"2024-03-04","to":"2024-03-05","provider":"yahoo"},"executionName":"exec-9","bucket":"{{Lake.Bucket}}"}""");

        var plan = await Plan().HandleAsync(payload, CancellationToken.None);
        Assert.Equal("runs/exec-9/ingest/items.jsonl", plan!["itemsKey"]!.GetValue<string>());
        var line = JsonNode.Parse((await Lake.TextAsync("runs/exec-9/ingest/items.jsonl"))!.Trim());
        Assert.Equal("""{"symbol":"MSFT","from":"2024-03-04","to":"2024-03-05"}""", line!.ToJsonString());
        Assert.Equal("2024-03-04", plan["period"]!["from"]!.GetValue<string>());
        var batch = new JsonObject { ["BatchInput"] = plan["batchInput"]!.DeepClone(), ["Items"] = new JsonArray(line) };
        var result = await Ingest().HandleAsync(batch, CancellationToken.None);

        var outcome = result!["outcomes"]![0]!;
        Assert.Equal("MSFT", outcome["symbol"]!.GetValue<string>());
        Assert.Equal("ok", outcome["status"]!.GetValue<string>());
        Assert.Equal(2, outcome["rowsWritten"]!.GetValue<int>());
        Assert.Null(outcome["error"]);
        Assert.Equal("2024-03-05", outcome["lastDate"]!.GetValue<string>());
        Assert.Equal((1, 0), (result["succeeded"]!.GetValue<int>(), result["failed"]!.GetValue<int>()));
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
