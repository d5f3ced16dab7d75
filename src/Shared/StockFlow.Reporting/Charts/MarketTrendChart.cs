using System.Text.Json.Nodes;
using Plotly.NET;
using Plotly.NET.CSharp;
using StockFlow.Reporting.Html;
using StockFlow.Reporting.Model;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace StockFlow.Reporting.Charts;

/// <summary>The equal-weight index level (left axis) and market breadth, % of symbols above MA 50 (right axis).</summary>
internal static class MarketTrendChart
{
    public const string Title = "Market index level and breadth";

    /// <summary>Null when there is no index level and no breadth value.</summary>
    public static JsonObject? Build(IReadOnlyList<MarketTrendRow> rows)
    {
        var ordered = rows.OrderBy(r => r.TradeDate).ToList();
        var level = ordered.Where(r => r.IndexLevel is not null).ToList();
        var breadth = ordered.Where(r => r.PctAboveMa50 is not null).ToList();
        if (level.Count == 0 && breadth.Count == 0)
        {
            return null;
        }

        var traces = new List<GenericChart>();
        if (level.Count > 0)
        {
            traces.Add(CSharpChart.Line<string, double, string>(
                    level.Select(r => ReportFormat.Date(r.TradeDate)),
                    level.Select(r => r.IndexLevel!.Value),
                    Name: "Index level (left axis)",
                    ShowLegend: true,
                    LineColor: Color.fromString(ChartColors.Index),
                    LineWidth: 2.0)
                .WithTraceProperty("yaxis", "y2")
                .WithTraceProperty("hovertemplate", "index %{y:.4f}<extra></extra>"));
        }

        if (breadth.Count > 0)
        {
            traces.Add(CSharpChart.Line<string, double, string>(
                    breadth.Select(r => ReportFormat.Date(r.TradeDate)),
                    breadth.Select(r => r.PctAboveMa50!.Value),
                    Name: "Symbols above MA 50 (right axis)",
                    ShowLegend: true,
                    LineColor: Color.fromString(ChartColors.Breadth),
                    LineWidth: 1.0)
                // Breadth moves in steps of 1/N symbols: a light step area keeps it readable without hiding
                // the index line drawn over it.
                .WithTraceProperty("line", new Dictionary<string, object>
                {
                    ["color"] = ChartColors.Breadth, ["width"] = 1.0, ["shape"] = "hv",
                })
                .WithTraceProperty("fill", "tozeroy")
                .WithTraceProperty("fillcolor", "rgba(242, 142, 43, 0.15)")
                .WithTraceProperty("opacity", 0.8)
                .WithTraceProperty("hovertemplate", "%{y:.0%} of symbols above MA 50<extra></extra>"));
        }

        // plotly draws an overlaying axis's traces above the base axis's, so the breadth area sits on the base
        // axis (right side) and the index line on the overlaying one (left side), where it stays visible.
        var breadthAxis = PlotlyFigure.Axis("Symbols above MA 50 (%)", ".0%");
        breadthAxis["side"] = "right";
        breadthAxis["range"] = new[] { 0.0, 1.0 };
        breadthAxis["showgrid"] = false;
        breadthAxis["zeroline"] = false;
        var indexAxis = PlotlyFigure.Axis("Index level (first day = 1.0)", ".2f");
        indexAxis["overlaying"] = "y";
        indexAxis["side"] = "left";

        var chart = CSharpChart.Combine(traces)
            .WithReportStyle(Title)
            .WithLayoutProperty("hovermode", "x unified")
            .WithLayoutProperty("xaxis", PlotlyFigure.Axis("Trade date", type: "date"))
            .WithLayoutProperty("yaxis", breadthAxis)
            .WithLayoutProperty("yaxis2", indexAxis);
        return PlotlyFigure.ToFigure(chart, 480);
    }
}
