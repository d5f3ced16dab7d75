using System.Text.Json.Nodes;
using Plotly.NET;
using StockFlow.Reporting.Html;
using StockFlow.Reporting.Model;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace StockFlow.Reporting.Charts;

/// <summary>Risk vs return: one labelled point per symbol, x = annualized volatility, y = annualized return.</summary>
internal static class RiskReturnChart
{
    public const string Title = "Risk vs return";

    /// <summary>Above this many points permanent labels overlap into a blur; hover still names each point.</summary>
    private const int MaxLabelledPoints = 40;

    private sealed record Point(string Symbol, double Volatility, double Return);

    /// <summary>Null when no symbol has both a volatility and an annualized return.</summary>
    public static JsonObject? Build(IReadOnlyList<AverageReturnRow> returns, IReadOnlyList<VolatilityRankingRow> volatility)
    {
        var volatilityBySymbol = volatility
            .Where(v => v.AnnualizedVolatility is not null)
            .GroupBy(v => v.Symbol, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().AnnualizedVolatility!.Value, StringComparer.Ordinal);
        var points = returns
            .Where(r => r.AnnualizedReturn is not null && volatilityBySymbol.ContainsKey(r.Symbol))
            .Select(r => new Point(r.Symbol, volatilityBySymbol[r.Symbol], r.AnnualizedReturn!.Value))
            .OrderBy(p => p.Symbol, StringComparer.Ordinal)
            .ToList();
        if (points.Count == 0)
        {
            return null;
        }

        var labelled = points.Count <= MaxLabelledPoints;
        var traces = new[]
            {
                (Name: HtmlText.Encode("Annualized return ≥ 0"), Color: ChartColors.Gain, Points: points.Where(p => p.Return >= 0).ToList()),
                (Name: HtmlText.Encode("Annualized return < 0"), Color: ChartColors.Loss, Points: points.Where(p => p.Return < 0).ToList()),
            }
            .Where(t => t.Points.Count > 0)
            .Select(t => Trace(t.Name, t.Color, t.Points, labelled))
            .ToList();

        var chart = Plotly.NET.CSharp.Chart.Combine(traces)
            .WithReportStyle(Title)
            .WithLayoutProperty("xaxis", PlotlyFigure.Axis("Annualized volatility (%)", ".0%"))
            .WithLayoutProperty("yaxis", PlotlyFigure.Axis("Annualized return (%)", ".0%"));
        return PlotlyFigure.ToFigure(chart, 540);
    }

    private static GenericChart Trace(string name, string color, List<Point> points, bool labelled)
    {
        var chart = labelled
            ? CSharpChart.Point<double, double, string>(
                points.Select(p => p.Volatility),
                points.Select(p => p.Return),
                Name: name,
                ShowLegend: true,
                MultiText: points.Select(p => HtmlText.Encode(p.Symbol)).ToArray(),
                TextPosition: StyleParam.TextPosition.TopCenter,
                MarkerColor: Color.fromString(color))
            : CSharpChart.Point<double, double, string>(
                points.Select(p => p.Volatility),
                points.Select(p => p.Return),
                Name: name,
                ShowLegend: true,
                MultiText: points.Select(p => HtmlText.Encode(p.Symbol)).ToArray(),
                MarkerColor: Color.fromString(color));
        return chart
            .WithTraceProperty("marker", new Dictionary<string, object> { ["color"] = color, ["size"] = 10 })
            .WithTraceProperty("cliponaxis", false)
            .WithTraceProperty(
                "hovertemplate",
                "<b>%{text}</b><br>volatility %{x:.2%}<br>annualized return %{y:+.2%}<extra></extra>");
    }
}
