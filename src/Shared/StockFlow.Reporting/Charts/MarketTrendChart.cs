using System.Text.Json.Nodes;
using StockFlow.Reporting.Html;
using StockFlow.Reporting.Model;

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

        var traces = new List<JsonObject>();
        if (level.Count > 0)
        {
            var trace = PlotlyFigure.Line(
                "Index level (left axis)",
                level.Select(r => ReportFormat.Date(r.TradeDate)),
                level.Select(r => r.IndexLevel!.Value),
                new JsonObject { ["color"] = ChartColors.Index, ["width"] = 2.0 });
            trace["yaxis"] = "y2";
            trace["hovertemplate"] = "index %{y:.4f}<extra></extra>";
            traces.Add(trace);
        }

        if (breadth.Count > 0)
        {
            // Breadth moves in steps of 1/N symbols: a light step area keeps it readable without hiding the index
            // line drawn over it.
            var trace = PlotlyFigure.Line(
                "Symbols above MA 50 (right axis)",
                breadth.Select(r => ReportFormat.Date(r.TradeDate)),
                breadth.Select(r => r.PctAboveMa50!.Value),
                new JsonObject { ["color"] = ChartColors.Breadth, ["width"] = 1.0, ["shape"] = "hv" });
            trace["fill"] = "tozeroy";
            trace["fillcolor"] = "rgba(242, 142, 43, 0.15)";
            trace["opacity"] = 0.8;
            trace["hovertemplate"] = "%{y:.0%} of symbols above MA 50<extra></extra>";
            traces.Add(trace);
        }

        // plotly draws an overlaying axis's traces above the base axis's, so the breadth area sits on the base
        // axis (right side) and the index line on the overlaying one (left side), where it stays visible.
        var breadthAxis = PlotlyFigure.Axis("Symbols above MA 50 (%)", ".0%");
        breadthAxis["side"] = "right";
        breadthAxis["range"] = new JsonArray(0.0, 1.0);
        breadthAxis["showgrid"] = false;
        breadthAxis["zeroline"] = false;
        var indexAxis = PlotlyFigure.Axis("Index level (first day = 1.0)", ".2f");
        indexAxis["overlaying"] = "y";
        indexAxis["side"] = "left";

        var layout = PlotlyFigure.Layout(Title, 480);
        layout["hovermode"] = "x unified";
        layout["xaxis"] = PlotlyFigure.Axis("Trade date", type: "date");
        layout["yaxis"] = breadthAxis;
        layout["yaxis2"] = indexAxis;
        return PlotlyFigure.Create(traces, layout);
    }
}
