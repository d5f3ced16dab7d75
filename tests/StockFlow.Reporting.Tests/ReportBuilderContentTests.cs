using StockFlow.Reporting.Model;
using static StockFlow.Reporting.Tests.ReportDocument;

namespace StockFlow.Reporting.Tests;

public class ReportBuilderContentTests
{
    private const string Hostile = "<script>alert(1)</script>";

    [Fact]
    public void Summary_shows_period_symbols_rows_and_rejected_rows()
    {
        var data = SampleReportData.Create(symbolCount: 4) with
        {
            Ingestion =
            [
                new("AAPL", 1200, 3, "succeeded"),
                new("MSFT", 1300, 0, "succeeded"),
                new("NVDA", 1000, 2, "succeeded"),
                new("AMZN", 500, 0, "failed", "HTTP 503"),
            ],
        };

        var html = ReportBuilder.Build(data);

        Assert.Contains("<th>Period</th><td>2023-01-02 to 2024-12-31</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th>Rows ingested</th><td class=\"num\">4,000</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th>Rows rejected</th><td class=\"num\">5</td>", html, StringComparison.Ordinal);
        Assert.Contains("3 succeeded, 1 failed", html, StringComparison.Ordinal);
        Assert.Contains("Symbols: AAPL, MSFT, NVDA, AMZN, ZZZZ", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"mono\">exec-2025-01-02T06-00-00Z-3f9c</span>", html, StringComparison.Ordinal);
        Assert.Contains("2025-01-02 06:04:31 UTC", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_label_is_shown_as_a_banner_when_set_and_absent_otherwise()
    {
        var labelled = ReportBuilder.Build(SampleReportData.Create(symbolCount: 2));
        Assert.Contains("<p class=\"data-label\" role=\"note\">Data: synthetic sample data</p>", labelled, StringComparison.Ordinal);

        var unlabelled = ReportBuilder.Build(SampleReportData.Create(symbolCount: 2) with { DataLabel = null });
        Assert.DoesNotContain("class=\"data-label\"", unlabelled, StringComparison.Ordinal);
    }

    [Fact]
    public void Performers_list_the_best_and_worst_cumulative_returns_as_signed_percentages()
    {
        AverageReturnRow Row(string symbol, double cumulative) =>
            new(symbol, SampleReportData.From, SampleReportData.To, 500, 0.0004, 0.1008, cumulative);
        var data = Minimal() with
        {
            Results = ReportQueryResults.Empty with
            {
                AverageReturns =
                [
                    Row("A", 0.50), Row("B", -0.25), Row("C", 0.1234), Row("D", 0.0), Row("E", -0.0515),
                    Row("F", 1.5), Row("G", 0.02), Row("H", -0.9), Row("I", 0.3), Row("J", 0.01), Row("K", 0.2),
                ],
                VolatilityRanking = [new VolatilityRankingRow("F", 0.4567, 1)],
            },
        };

        var html = ReportBuilder.Build(data);

        var top = html[html.IndexOf("Top 5 by cumulative return", StringComparison.Ordinal)..html.IndexOf("Bottom 5", StringComparison.Ordinal)];
        var bottom = html[html.IndexOf("Bottom 5 by cumulative return", StringComparison.Ordinal)..html.IndexOf("</section>", html.IndexOf("Bottom 5", StringComparison.Ordinal), StringComparison.Ordinal)];
        Assert.Equal(["F", "A", "I", "K", "C"], Symbols(top));
        Assert.Equal(["H", "B", "E", "D", "J"], Symbols(bottom));
        Assert.Contains("<td class=\"num pos\">+150.00%</td>", top, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num pos\">+12.34%</td>", top, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">45.67%</td>", top, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num neg\">\u22125.15%</td>", bottom, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">0.00%</td>", bottom, StringComparison.Ordinal);
    }

    [Fact]
    public void Fewer_symbols_than_both_lists_are_not_repeated_in_the_bottom_list()
    {
        var data = SampleReportData.Create(symbolCount: 3);
        var html = ReportBuilder.Build(data);
        Assert.Contains("Top 3 by cumulative return", html, StringComparison.Ordinal);
        Assert.Equal(1, Count(html, " by cumulative return</h3>"));
    }

    [Fact]
    public void Ingestion_errors_are_listed_with_their_message()
    {
        var html = ReportBuilder.Build(SampleReportData.Create(symbolCount: 3));
        var errors = html[html.IndexOf("id=\"ingestion-errors\"", StringComparison.Ordinal)..];
        errors = errors[..errors.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.Contains("<td class=\"sym\">ZZZZ</td><td>failed</td>", errors, StringComparison.Ordinal);
        Assert.Contains("Unknown symbol &#39;ZZZZ&#39;: the provider returned HTTP 404.", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("AAPL", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void No_ingestion_errors_says_so()
    {
        var data = SampleReportData.Create(symbolCount: 2) with { Ingestion = [new("AAPL", 10, 1, "succeeded")] };
        Assert.Contains("All 1 symbols were ingested without errors.", ReportBuilder.Build(data), StringComparison.Ordinal);
    }

    [Fact]
    public void Symbols_and_error_messages_are_escaped_everywhere()
    {
        var data = Minimal() with
        {
            ExecutionId = "exec-<b>1</b>",
            DataLabel = "sample <i>data</i>",
            Symbols = [Hostile],
            Ingestion = [new(Hostile, 10, 0, "failed", "bad \"row\" & <script>steal()</script>")],
            Results = new ReportQueryResults(
                [new AverageReturnRow(Hostile, SampleReportData.From, SampleReportData.To, 3, 0.01, 2.52, 0.02)],
                [new VolatilityRankingRow(Hostile, 0.3, 1)],
                [],
                [new PriceHistoryRow(Hostile, SampleReportData.From, 10, null, null, null)]),
        };

        var html = ReportBuilder.Build(data);

        // Exactly the report's own script elements: three JSON blocks, plotly.js and the page script.
        Assert.Equal(5, Count(html, "<script"));
        Assert.DoesNotContain("<script>alert", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script>steal", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>1</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>data</i>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("bad &quot;row&quot; &amp; &lt;script&gt;steal()&lt;/script&gt;", html, StringComparison.Ordinal);

        // Inside the JSON the symbol survives intact as a key, and as plotly label text it is entity-encoded
        // (plotly renders a subset of HTML in labels).
        Assert.True(Json(html, "sf-price-series").TryGetProperty(Hostile, out _));
        var bars = Trace(Json(html, "sf-figures").GetProperty("sf-chart-volatility"), "Annualized volatility");
        Assert.Equal(["&lt;script&gt;alert(1)&lt;/script&gt;"], Strings(bars.GetProperty("y")));
    }

    [Fact]
    public void Empty_query_results_show_a_no_data_note_instead_of_each_chart()
    {
        var html = ReportBuilder.Build(Minimal());

        Assert.Contains("No data: the price_history query returned no rows for this period.", html, StringComparison.Ordinal);
        Assert.Contains("No data: the volatility_ranking query returned no rows for this period.", html, StringComparison.Ordinal);
        Assert.Contains("No data: the average_return query returned no rows for this period.", html, StringComparison.Ordinal);
        Assert.Contains("No data: the market_trend query returned no rows for this period.", html, StringComparison.Ordinal);
        Assert.Contains("No data: no ingestion summary was recorded for this execution.", html, StringComparison.Ordinal);
        Assert.Empty(Json(html, "sf-figures").EnumerateObject());
        Assert.DoesNotContain("id=\"sf-price-series\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"chart\"", html, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_without_values_give_a_no_data_note_that_says_why()
    {
        var data = Minimal() with
        {
            Results = ReportQueryResults.Empty with
            {
                VolatilityRanking = [new VolatilityRankingRow("AAPL", null, 1)],
                MarketTrend = [new MarketTrendRow(SampleReportData.From, 1, null, null, null)],
            },
        };

        var html = ReportBuilder.Build(data);

        Assert.Contains("No data: no symbol has an annualized volatility (too few trading days).", html, StringComparison.Ordinal);
        Assert.Contains("No data: the market_trend rows have no index level or breadth values.", html, StringComparison.Ordinal);
        Assert.Empty(Json(html, "sf-figures").EnumerateObject());
    }

    [Fact]
    public void A_single_trading_day_still_draws_the_charts_it_can()
    {
        var data = SampleReportData.Create(symbolCount: 3, from: new DateOnly(2024, 6, 3), to: new DateOnly(2024, 6, 3));
        var html = ReportBuilder.Build(data);
        var figures = Json(html, "sf-figures");
        Assert.True(figures.TryGetProperty("sf-chart-market", out _));
        Assert.True(Json(html, "sf-price-series").TryGetProperty("AAPL", out _));
    }

    private static ReportData Minimal() => new()
    {
        ExecutionId = "exec-1",
        PeriodFrom = SampleReportData.From,
        PeriodTo = SampleReportData.To,
        GeneratedAt = new DateTimeOffset(2025, 1, 2, 6, 0, 0, TimeSpan.Zero),
    };

    private static string[] Symbols(string tableHtml) =>
        System.Text.RegularExpressions.Regex.Matches(tableHtml, "<td class=\"sym\">([^<]*)</td>").Select(m => m.Groups[1].Value).ToArray();
}
