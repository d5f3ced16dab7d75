using System.Text;
using System.Text.Json.Nodes;
using StockFlow.Reporting.Charts;
using StockFlow.Reporting.Csv;
using StockFlow.Reporting.Html;
using StockFlow.Reporting.Model;

namespace StockFlow.Reporting.Sections;

/// <summary>
/// The chart containers, or a "no data" note in their place, plus the figures they need. The figures are written
/// once at the end of the page (see <see cref="WriteData"/>), never next to each container, so no data repeats.
/// </summary>
internal sealed class ChartsSection
{
    public const string PriceChartId = "sf-chart-price";
    public const string PriceSelectId = "sf-price-symbol";
    public const string PriceSamplingId = "sf-price-sampling";

    private readonly JsonObject _figures = [];
    private JsonObject? _priceFigure;
    private PriceSeriesSet? _priceSeries;

    public void Write(StringBuilder html, ReportQueryResults results)
    {
        html.Append("<section id=\"charts\"><h2>Charts</h2>\n");
        WritePrice(html, PriceSeriesSet.From(results.PriceHistory, results.AverageReturns));

        WriteChart(html, "sf-chart-volatility", VolatilityChart.Title, VolatilityChart.Build(results.VolatilityRanking),
            results.VolatilityRanking.Count == 0
                ? NoData.EmptyQuery(ReportCsv.VolatilityRankingQuery)
                : "no symbol has an annualized volatility (too few trading days).");

        WriteChart(html, "sf-chart-risk-return", RiskReturnChart.Title,
            RiskReturnChart.Build(results.AverageReturns, results.VolatilityRanking),
            results.AverageReturns.Count == 0 ? NoData.EmptyQuery(ReportCsv.AverageReturnQuery)
            : results.VolatilityRanking.Count == 0 ? NoData.EmptyQuery(ReportCsv.VolatilityRankingQuery)
            : "no symbol has both an annualized return and a volatility.");

        WriteChart(html, "sf-chart-market", MarketTrendChart.Title, MarketTrendChart.Build(results.MarketTrend),
            results.MarketTrend.Count == 0
                ? NoData.EmptyQuery(ReportCsv.MarketTrendQuery)
                : "the market_trend rows have no index level or breadth values.");
        html.Append("</section>\n");
    }

    /// <summary>The JSON the page script draws from, each inside an inert application/json element.</summary>
    public void WriteData(PageWriter html)
    {
        WriteJson(html, "sf-figures", _figures.ToJsonString());
        if (_priceFigure is not null && _priceSeries is not null)
        {
            WriteJson(html, "sf-price-figure", _priceFigure.ToJsonString());

            // The largest block by far: written as UTF-8 bytes straight into the page (already script-safe).
            var series = _priceSeries;
            html.Append("<script type=\"application/json\" id=\"sf-price-series\">");
            html.AppendUtf8(output => PriceSeriesJson.Write(output, series));
            html.Append("</script>\n");
        }
    }

    private void WritePrice(StringBuilder html, PriceSeriesSet series)
    {
        html.Append("<div class=\"chart-block\"><h3>").Append(HtmlText.Encode(PriceChart.Title)).Append("</h3>\n");
        if (series.Symbols.Count == 0)
        {
            NoData.Write(html, NoData.EmptyQuery(ReportCsv.PriceHistoryQuery));
            html.Append("</div>\n");
            return;
        }

        html.Append("<div class=\"chart-controls\"><label for=\"").Append(PriceSelectId).Append("\">Symbol</label> ")
            .Append("<button type=\"button\" data-step=\"-1\" aria-label=\"Previous symbol\">&#8592;</button>")
            .Append("<select id=\"").Append(PriceSelectId).Append("\">");
        foreach (var symbol in series.Symbols)
        {
            var encoded = HtmlText.Encode(symbol.Symbol);
            html.Append("<option value=\"").Append(encoded).Append("\">").Append(encoded).Append("</option>");
        }

        html.Append("</select>")
            .Append("<button type=\"button\" data-step=\"1\" aria-label=\"Next symbol\">&#8594;</button>")
            .Append(" <span class=\"hint\">").Append(ReportFormat.Integer(series.Symbols.Count))
            .Append(" symbols; type in the list to jump to one</span></div>\n");

        // A sampled chart must not pass for daily data: say so next to the selector (the script adds the symbol's count).
        var sampling = PriceSampling.DescribeAll(series.Symbols.Select(s => s.Sampling).ToList());
        html.Append("<p class=\"hint sampling\" id=\"").Append(PriceSamplingId).Append("\">")
            .Append(sampling is null
                ? "Every trading day of the period is drawn."
                : $"Long period: the chart draws {HtmlText.Encode(sampling)} (the values of those days, not averages).")
            .Append("</p>\n")
            .Append("<div id=\"").Append(PriceChartId).Append("\" class=\"chart\"></div></div>\n");
        _priceFigure = PriceChart.Build();
        _priceSeries = series;
    }

    private void WriteChart(StringBuilder html, string id, string title, JsonObject? figure, string noDataReason)
    {
        html.Append("<div class=\"chart-block\">");
        if (figure is null)
        {
            html.Append("<h3>").Append(HtmlText.Encode(title)).Append("</h3>\n");
            NoData.Write(html, noDataReason);
        }
        else
        {
            html.Append("<div id=\"").Append(id).Append("\" class=\"chart\"></div>");
            _figures[id] = figure;
        }

        html.Append("</div>\n");
    }

    private static void WriteJson(PageWriter html, string id, string json) =>
        html.Append("<script type=\"application/json\" id=\"").Append(id).Append("\">")
            .Append(HtmlText.JsonForScript(json)).Append("</script>\n");
}
