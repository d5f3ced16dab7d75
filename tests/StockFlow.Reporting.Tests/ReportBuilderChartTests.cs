using System.Globalization;
using System.Text.Json;
using StockFlow.Reporting.Charts;
using StockFlow.Reporting.Model;
using static StockFlow.Reporting.Tests.ReportDocument;

namespace StockFlow.Reporting.Tests;

public class ReportBuilderChartTests
{
    private static readonly ReportData Sample = SampleReportData.Create(symbolCount: 10);
    private static readonly string Html = ReportBuilder.Build(Sample);

    [Fact]
    public void Volatility_chart_has_its_title_axis_units_and_every_symbol_sorted_with_the_most_volatile_on_top()
    {
        var figure = Json(Html, "sf-figures").GetProperty("sf-chart-volatility");
        Assert.Equal("Annualized volatility by symbol", figure.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("Annualized volatility (%)", AxisTitle(figure, "xaxis"));
        Assert.Equal(".0%", figure.GetProperty("layout").GetProperty("xaxis").GetProperty("tickformat").GetString());

        var trace = Trace(figure, "Annualized volatility");
        var expected = Sample.Results.VolatilityRanking.OrderBy(v => v.AnnualizedVolatility).ToList();
        Assert.Equal(expected.Select(v => v.Symbol), Strings(trace.GetProperty("y")));
        Assert.Equal(expected.Select(v => v.AnnualizedVolatility!.Value), Numbers(trace.GetProperty("x")));
        Assert.Equal("h", trace.GetProperty("orientation").GetString());
    }

    [Fact]
    public void A_whole_market_volatility_chart_shows_the_most_and_least_volatile_not_ten_thousand_bars()
    {
        var rows = Enumerable.Range(0, 10_000)
            .Select(i => new VolatilityRankingRow("S" + i.ToString("D5", CultureInfo.InvariantCulture), 0.01 + (i * 1e-5), 10_000 - i))
            .ToList();
        var html = ReportBuilder.Build(SampleReportData.Create(symbolCount: 1) with { Results = new ReportQueryResults([], rows, [], []) });
        var figure = Json(html, "sf-figures").GetProperty("sf-chart-volatility");

        var trace = Trace(figure, "Annualized volatility");
        var symbols = Strings(trace.GetProperty("y")).ToList();
        Assert.Equal(60, symbols.Count);
        Assert.Equal("S00000", symbols[0]);
        Assert.Equal("S09999", symbols[^1]);
        Assert.Contains("S09970", symbols);
        Assert.DoesNotContain("S05000", symbols);
        Assert.Equal("Annualized volatility by symbol: the 30 most and 30 least volatile of 10,000",
            figure.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void Risk_return_chart_plots_each_symbol_at_its_volatility_and_annualized_return_with_a_label()
    {
        var figure = Json(Html, "sf-figures").GetProperty("sf-chart-risk-return");
        Assert.Equal("Risk vs return", figure.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("Annualized volatility (%)", AxisTitle(figure, "xaxis"));
        Assert.Equal("Annualized return (%)", AxisTitle(figure, "yaxis"));

        var points = figure.GetProperty("data").EnumerateArray()
            .SelectMany(t => Strings(t.GetProperty("text"))
                .Zip(Numbers(t.GetProperty("x")), Numbers(t.GetProperty("y")))
                .Select(p => (Symbol: p.First, X: p.Second, Y: p.Third)))
            .ToDictionary(p => p.Symbol);
        Assert.Equal(10, points.Count);
        foreach (var row in Sample.Results.AverageReturns)
        {
            var volatility = Sample.Results.VolatilityRanking.Single(v => v.Symbol == row.Symbol).AnnualizedVolatility;
            Assert.Equal(volatility, points[row.Symbol].X);
            Assert.Equal(row.AnnualizedReturn, points[row.Symbol].Y);
        }

        Assert.All(figure.GetProperty("data").EnumerateArray(), t => Assert.Contains("text", t.GetProperty("mode").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Market_chart_draws_index_level_on_the_left_axis_and_breadth_on_a_right_percentage_axis()
    {
        var figure = Json(Html, "sf-figures").GetProperty("sf-chart-market");
        Assert.Equal("Market index level and breadth", figure.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("Index level (first day = 1.0)", AxisTitle(figure, "yaxis2"));
        Assert.Equal("left", figure.GetProperty("layout").GetProperty("yaxis2").GetProperty("side").GetString());
        Assert.Equal("Symbols above MA 50 (%)", AxisTitle(figure, "yaxis"));
        Assert.Equal("right", figure.GetProperty("layout").GetProperty("yaxis").GetProperty("side").GetString());
        Assert.Equal("Trade date", AxisTitle(figure, "xaxis"));

        var trend = Sample.Results.MarketTrend;
        var level = Trace(figure, "Index level (left axis)");
        Assert.Equal("y2", level.GetProperty("yaxis").GetString());
        Assert.Equal(trend.Select(t => t.IndexLevel!.Value), Numbers(level.GetProperty("y")));
        Assert.Equal(trend.Select(t => t.TradeDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), Strings(level.GetProperty("x")));

        var breadth = Trace(figure, "Symbols above MA 50 (right axis)");
        Assert.False(breadth.TryGetProperty("yaxis", out _));
        Assert.Equal(trend.Where(t => t.PctAboveMa50 is not null).Select(t => t.PctAboveMa50!.Value), Numbers(breadth.GetProperty("y")));
    }

    [Fact]
    public void Price_chart_has_four_named_traces_and_every_symbols_series_once_with_null_moving_averages_kept_as_gaps()
    {
        var figure = Json(Html, "sf-price-figure");
        Assert.Equal("Adjusted close and moving averages", figure.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("Adjusted close (price, currency units)", AxisTitle(figure, "yaxis"));
        Assert.Equal(
            ["Adjusted close", "MA 20", "MA 50", "MA 200"],
            figure.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("name").GetString()));

        var series = Json(Html, "sf-price-series");
        Assert.Equal(Sample.Results.AverageReturns.Select(r => r.Symbol).Order(StringComparer.Ordinal),
            series.EnumerateObject().Select(p => p.Name));
        var rows = Sample.Results.PriceHistory.Where(r => r.Symbol == "MSFT").ToList();
        var msft = series.GetProperty("MSFT");
        Assert.Equal(rows.Select(r => r.TradeDate), Dates(msft));
        Assert.False(msft.TryGetProperty("s", out _), "two years of daily rows are not sampled");
        Assert.Equal(rows.Select(r => ChartRound(r.AdjClose)), Numbers(msft.GetProperty("p")));
        var ma200 = msft.GetProperty("m200").EnumerateArray().ToList();
        Assert.All(ma200.Take(199), v => Assert.Equal(JsonValueKind.Null, v.ValueKind));
        Assert.Equal(ChartRound(rows[199].Ma200!.Value), ma200[199].GetDouble(), 10);

        // One selector option per symbol, and no figure duplicates the price data.
        Assert.Equal(10, Count(Html, "<option value="));
        Assert.DoesNotContain("sf-chart-price", Json(Html, "sf-figures").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Plotly_js_is_inlined_exactly_once_and_nothing_is_loaded_from_the_network()
    {
        Assert.Equal(1, Count(Html, $"plotly.js v{PlotlyJs.Version}"));
        Assert.Equal(1, Count(Html, PlotlyJs.Script));
        Assert.True(PlotlyJs.Script.Length > 3_000_000, "the full plotly.js bundle, not a stub");

        // The markup around the library: nothing that would fetch a script, style, font or image.
        var markup = Html.Replace(PlotlyJs.Script, string.Empty, StringComparison.Ordinal);
        Assert.DoesNotMatch("(?i)<script[^>]*\\ssrc\\s*=", markup);
        Assert.DoesNotMatch("(?i)<link\\b", markup);
        Assert.DoesNotMatch("(?i)<(img|iframe|object|embed)\\b", markup);
        Assert.DoesNotMatch("(?i)@import|url\\(|https?://", markup);
    }

    [Fact]
    public void Document_stays_small_beyond_plotly_js()
    {
        // 10 symbols × 2 years: the data and markup around the library stay well under 1 MB.
        var overhead = Html.Length - PlotlyJs.Script.Length;
        Assert.InRange(overhead, 20_000, 1_000_000);
    }

    [Fact]
    public void Each_symbols_two_years_of_prices_cost_about_25_kB_so_500_symbols_stay_near_15_MB()
    {
        // Catches any chart that starts repeating the price data (per-symbol figures, duplicated x arrays).
        var html = ReportBuilder.Build(SampleReportData.Create(symbolCount: 40));
        var perSymbol = (html.Length - PlotlyJs.Script.Length) / 40;
        Assert.InRange(perSymbol, 15_000, 30_000);
    }

    [Fact]
    public void Every_chart_layout_has_a_legend_and_axis_titles()
    {
        var figures = Json(Html, "sf-figures").EnumerateObject().Select(p => p.Value).Append(Json(Html, "sf-price-figure")).ToList();
        Assert.Equal(4, figures.Count);
        foreach (var figure in figures)
        {
            var layout = figure.GetProperty("layout");
            Assert.True(layout.GetProperty("showlegend").GetBoolean());
            Assert.False(string.IsNullOrWhiteSpace(AxisTitle(figure, "xaxis")));
            Assert.False(string.IsNullOrWhiteSpace(AxisTitle(figure, "yaxis")));
            Assert.False(layout.TryGetProperty("template", out _), "no plotly template is repeated per chart");
            Assert.All(figure.GetProperty("data").EnumerateArray(), t => Assert.True(t.GetProperty("showlegend").GetBoolean()));
        }
    }

    [Fact]
    public void Each_trace_is_the_plotly_js_trace_the_chart_draws_with_its_colour_and_style()
    {
        var figures = Json(Html, "sf-figures");
        var bar = Trace(figures.GetProperty("sf-chart-volatility"), "Annualized volatility");
        Assert.Equal("bar", bar.GetProperty("type").GetString());
        Assert.Equal("#4e79a7", bar.GetProperty("marker").GetProperty("color").GetString());
        Assert.Equal("outside", bar.GetProperty("textposition").GetString());
        Assert.Equal(Strings(bar.GetProperty("y")).Length, Strings(bar.GetProperty("text")).Length);
        Assert.All(Strings(bar.GetProperty("text")), t => Assert.EndsWith("%", t, StringComparison.Ordinal));

        var gains = Trace(figures.GetProperty("sf-chart-risk-return"), "Annualized return ≥ 0");
        Assert.Equal("scatter", gains.GetProperty("type").GetString());
        Assert.Equal("top center", gains.GetProperty("textposition").GetString());
        Assert.Equal("#2e8b57", gains.GetProperty("marker").GetProperty("color").GetString());
        Assert.Equal(10, gains.GetProperty("marker").GetProperty("size").GetInt32());
        Assert.Equal("#c0392b", Trace(figures.GetProperty("sf-chart-risk-return"), "Annualized return &lt; 0").GetProperty("marker").GetProperty("color").GetString());

        var breadth = Trace(figures.GetProperty("sf-chart-market"), "Symbols above MA 50 (right axis)");
        Assert.Equal("lines", breadth.GetProperty("mode").GetString());
        Assert.Equal("hv", breadth.GetProperty("line").GetProperty("shape").GetString());
        Assert.Equal("tozeroy", breadth.GetProperty("fill").GetString());

        var price = Json(Html, "sf-price-figure").GetProperty("data").EnumerateArray().ToList();
        Assert.All(price, t => Assert.Equal("lines", t.GetProperty("mode").GetString()));
        Assert.Equal(["solid", "solid", "solid", "dash"], price.Select(t => t.GetProperty("line").GetProperty("dash").GetString()));
        Assert.Equal(["#1f4e79", "#f28e2b", "#59a14f", "#b6407d"], price.Select(t => t.GetProperty("line").GetProperty("color").GetString()));
    }

    [Fact]
    public void Risk_return_points_lose_their_permanent_labels_beyond_40_symbols_but_keep_the_symbol_for_hover()
    {
        var html = ReportBuilder.Build(SampleReportData.Create(symbolCount: 41));
        var traces = Json(html, "sf-figures").GetProperty("sf-chart-risk-return").GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(41, traces.Sum(t => Strings(t.GetProperty("text")).Length));
        Assert.All(traces, t => Assert.Equal("markers", t.GetProperty("mode").GetString()));
        Assert.All(traces, t => Assert.False(t.TryGetProperty("textposition", out _)));
    }

    [Fact]
    public void Title_and_legend_are_pinned_to_the_top_of_every_chart_whatever_its_height()
    {
        var figures = Json(Html, "sf-figures").EnumerateObject().Select(p => p.Value).Append(Json(Html, "sf-price-figure"));
        foreach (var figure in figures)
        {
            var layout = figure.GetProperty("layout");
            var height = layout.GetProperty("height").GetDouble();
            Assert.Equal("container", layout.GetProperty("title").GetProperty("yref").GetString());
            Assert.Equal(16, (1 - layout.GetProperty("title").GetProperty("y").GetDouble()) * height, 6);
            Assert.Equal(50, (1 - layout.GetProperty("legend").GetProperty("y").GetDouble()) * height, 6);
            Assert.True(layout.GetProperty("autosize").GetBoolean());
            Assert.False(layout.TryGetProperty("width", out _), "the page sizes the charts' width");
            Assert.False(figure.GetProperty("config").GetProperty("displaylogo").GetBoolean());
        }
    }

    [Fact]
    public void The_embedded_plotly_js_is_the_version_the_footer_names()
    {
        Assert.StartsWith($"/**\n* plotly.js v{PlotlyJs.Version}\n", PlotlyJs.Script, StringComparison.Ordinal);
        Assert.Contains($"Charts drawn with plotly.js {PlotlyJs.Version}", Html, StringComparison.Ordinal);
    }

    /// <summary>The chart's precision: 2 decimals from 100 up, 3 from 10, else 4 (hover shows 2).</summary>
    internal static double ChartRound(double value) =>
        Math.Round(value, Math.Abs(value) >= 100 ? 2 : Math.Abs(value) >= 10 ? 3 : 4);

    /// <summary>The series' dates: the first one, then the gaps in days after it.</summary>
    internal static List<DateOnly> Dates(JsonElement series)
    {
        var dates = new List<DateOnly> { DateOnly.ParseExact(series.GetProperty("d0").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture) };
        foreach (var gap in series.GetProperty("dd").EnumerateArray())
        {
            dates.Add(dates[^1].AddDays(gap.GetInt32()));
        }

        return dates;
    }

    private static string? AxisTitle(JsonElement figure, string axis) =>
        figure.GetProperty("layout").GetProperty(axis).GetProperty("title").GetProperty("text").GetString();
}
