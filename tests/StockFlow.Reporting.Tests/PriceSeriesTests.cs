using System.Text;
using System.Text.Json;
using StockFlow.Csv;
using StockFlow.Reporting.Charts;
using StockFlow.Reporting.Csv;
using StockFlow.Reporting.Model;
using static StockFlow.Reporting.Tests.ReportDocument;

namespace StockFlow.Reporting.Tests;

/// <summary>The price chart's data on long periods: sampled points are labelled as such, and the page stays small.</summary>
public class PriceSeriesTests
{
    private static readonly DateOnly TenYearsFrom = new(2016, 1, 1);
    private static readonly DateOnly TenYearsTo = new(2025, 12, 31);

    [Fact]
    public void A_sampled_long_period_says_so_next_to_the_selector_and_per_symbol()
    {
        var daily = SampleReportData.Create(symbolCount: 3, from: TenYearsFrom, to: TenYearsTo);
        var data = SampleReportData.SampledLikePriceHistory(daily);
        var html = ReportBuilder.Build(data);

        // 2,609 weekdays, k = ceil(2609 / 520) = 6: 435 days on the grid back from the last, plus the first.
        Assert.All(data.Results.AverageReturns, r => Assert.Equal(2609, r.TradingDays));
        var msft = Json(html, "sf-price-series").GetProperty("MSFT");
        Assert.Equal("every 6th trading day (436 of 2,609 days)", msft.GetProperty("s").GetString());
        var rows = data.Results.PriceHistory.Where(r => r.Symbol == "MSFT").ToList();
        Assert.Equal(rows.Select(r => r.TradeDate), ReportBuilderChartTests.Dates(msft));
        Assert.Equal(TenYearsFrom, rows[0].TradeDate);
        Assert.Equal(TenYearsTo, rows[^1].TradeDate);
        Assert.Contains(
            "Long period: the chart draws every 6th trading day (the values of those days, not averages).",
            html, StringComparison.Ordinal);
        Assert.DoesNotContain("Every trading day of the period is drawn.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_daily_period_says_every_trading_day_is_drawn()
    {
        var html = ReportBuilder.Build(SampleReportData.Create(symbolCount: 2));

        Assert.Contains("Every trading day of the period is drawn.", html, StringComparison.Ordinal);
        Assert.All(Json(html, "sf-price-series").EnumerateObject(), s => Assert.False(s.Value.TryGetProperty("s", out _)));
    }

    [Fact]
    public void Symbols_with_different_histories_get_their_own_step_and_the_hint_gives_the_range()
    {
        var daily = SampleReportData.Create(symbolCount: 2, from: TenYearsFrom, to: TenYearsTo);
        var shortHistory = daily.Results.PriceHistory.Where(r => r.Symbol == "AAPL" || r.TradeDate.Year >= 2021).ToList();
        var averages = daily.Results.AverageReturns
            .Select(r => r.Symbol == "MSFT" ? r with { TradingDays = shortHistory.Count(p => p.Symbol == "MSFT") } : r).ToList();
        var data = SampleReportData.SampledLikePriceHistory(
            daily with { Results = daily.Results with { PriceHistory = shortHistory, AverageReturns = averages } });

        var html = ReportBuilder.Build(data);

        var series = Json(html, "sf-price-series");
        Assert.StartsWith("every 6th trading day", series.GetProperty("AAPL").GetProperty("s").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("every 3rd trading day", series.GetProperty("MSFT").GetProperty("s").GetString(), StringComparison.Ordinal);
        Assert.Contains("the chart draws every 3rd to 6th trading day", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_trading_day_counts_sparse_dates_are_still_reported_as_not_daily()
    {
        var weekly = Enumerable.Range(0, 100)
            .Select(i => new PriceHistoryRow("KO", new DateOnly(2020, 1, 6).AddDays(7 * i), 60 + i, null, null, null)).ToList();
        var data = SampleReportData.Create(symbolCount: 1) with
        {
            Results = new ReportQueryResults([], [], [], weekly),
        };

        var html = ReportBuilder.Build(data);

        Assert.Equal("one point per about 7 calendar days", Json(html, "sf-price-series").GetProperty("KO").GetProperty("s").GetString());
        Assert.Contains("the chart draws fewer points than trading days", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Unordered_rows_are_drawn_in_date_order_and_a_duplicated_date_keeps_its_last_row()
    {
        var day = new DateOnly(2024, 3, 4);
        var data = SampleReportData.Create(symbolCount: 1) with
        {
            Results = new ReportQueryResults([], [], [],
            [
                new PriceHistoryRow("B", day.AddDays(1), 2, null, null, null),
                new PriceHistoryRow("A", day.AddDays(3), 13, null, null, null),
                new PriceHistoryRow("A", day, 10, null, null, null),
                new PriceHistoryRow("A", day.AddDays(3), 14, 1.5, null, null),
                new PriceHistoryRow("A", day.AddDays(1), 11, null, null, null),
            ]),
        };

        var series = Json(ReportBuilder.Build(data), "sf-price-series");

        Assert.Equal(["A", "B"], series.EnumerateObject().Select(p => p.Name));
        var a = series.GetProperty("A");
        Assert.Equal([day, day.AddDays(1), day.AddDays(3)], ReportBuilderChartTests.Dates(a));
        Assert.Equal([10.0, 11, 14], Numbers(a.GetProperty("p")));
        Assert.Equal(JsonValueKind.Null, a.GetProperty("m20")[1].ValueKind);
        Assert.Equal(1.5, a.GetProperty("m20")[2].GetDouble());
    }

    [Fact]
    public void Five_hundred_symbols_over_ten_years_fit_in_about_12_MB()
    {
        // What each further symbol costs (its sampled points, selector option, table rows and bars), from 20 to 40.
        var twenty = PageBytes(20);
        var forty = PageBytes(40);
        var perSymbol = (forty - twenty) / 20.0;
        var estimate = forty + (460 * perSymbol);

        Assert.InRange(perSymbol, 5_000, 16_000);
        Assert.True(estimate < 12e6, $"500 symbols would make {estimate / 1e6:F1} MB");

        static long PageBytes(int symbols)
        {
            var data = SampleReportData.SampledLikePriceHistory(SampleReportData.Create(symbols, from: TenYearsFrom, to: TenYearsTo));
            using var page = new MemoryStream();
            ReportBuilder.Write(data, page);
            return page.Length;
        }
    }

    [Fact]
    public void Writing_to_a_stream_gives_the_same_document_as_building_a_string()
    {
        var data = SampleReportData.Create(symbolCount: 3);
        using var page = new MemoryStream();
        ReportBuilder.Write(data, page);

        Assert.Equal(ReportBuilder.Build(data), new UTF8Encoding(false, true).GetString(page.ToArray()));
        Assert.False(page.ToArray().AsSpan().StartsWith(Encoding.UTF8.Preamble), "no byte-order mark");
    }

    [Fact]
    public void Csv_records_are_read_the_same_whatever_the_chunks_the_reader_returns()
    {
        const string csv = "\uFEFFsymbol,annualized_volatility,rank\r\n\"BRK,B\",0.45,1\n\n\"say \"\"hi\"\"\",,2\n\"two\nlines\",0.2,3";
        var expected = ReportCsv.ReadVolatilityRanking(new StringReader(csv), "v.csv");

        var chunked = ReportCsv.ReadVolatilityRanking(new OneCharReader(csv), "v.csv");

        Assert.Equal(
            [new VolatilityRankingRow("BRK,B", 0.45, 1), new VolatilityRankingRow("say \"hi\"", null, 2), new VolatilityRankingRow("two\nlines", 0.2, 3)],
            chunked);
        Assert.Equal(expected, chunked);
        var error = Assert.Throws<CsvFormatException>(() => ReportCsv.ReadVolatilityRanking(new OneCharReader("symbol,annualized_volatility,rank\nA,1,1\nB,\"2,2\n"), "v.csv"));
        Assert.Equal("v.csv line 3: a quoted field is not closed before the end of the text", error.Message);
    }

    [Fact]
    public void A_large_price_history_is_read_and_drawn_quickly()
    {
        // About what the sampled query returns for 500 symbols x 10 years.
        var csv = new StringBuilder("symbol,trade_date,adj_close,ma_20,ma_50,ma_200\n");
        for (var s = 0; s < 500; s++)
        {
            for (var d = 0; d < 436; d++)
            {
                csv.Append('S').Append(s.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)).Append(',')
                    .Append(new DateOnly(2016, 1, 1).AddDays(d * 8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
                    .Append(",123.4567,122.98765432,121.0000001,\n");
            }
        }

        var rows = ReportCsv.ReadPriceHistory(new StringReader(csv.ToString()), "price_history.csv");
        using var page = new MemoryStream();
        ReportBuilder.Write(SampleReportData.Create(symbolCount: 1) with { Results = new ReportQueryResults([], [], [], rows) }, page);

        // How fast is measured by the benchmarks (bench/), not by a unit test on a shared machine.
        Assert.Equal(218_000, rows.Count);
        Assert.True(page.Length > 0);
    }

    /// <summary>Returns one character per read, so every quote, CR and newline lands on a buffer boundary.</summary>
    private sealed class OneCharReader(string text) : TextReader
    {
        private int _position;

        public override int Read(char[] buffer, int index, int count)
        {
            if (_position >= text.Length || count == 0)
            {
                return 0;
            }

            buffer[index] = text[_position++];
            return 1;
        }
    }
}
