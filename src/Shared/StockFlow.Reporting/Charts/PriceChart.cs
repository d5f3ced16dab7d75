using System.Text.Json.Nodes;

namespace StockFlow.Reporting.Charts;

/// <summary>
/// Adjusted close with MA 20/50/200 for one symbol at a time.
/// One chart per symbol stops being usable (and the page size explodes) at hundreds of symbols, and a plotly
/// dropdown with hundreds of entries overflows the chart. So the report draws ONE chart and an HTML
/// &lt;select&gt; (keyboard-searchable, with previous/next buttons) that swaps in the chosen symbol's series.
/// The traces, styling and axes are defined here; the per-symbol series are stored once, compactly,
/// by <see cref="PriceSeriesJson"/> and the page's script fills the traces from them.
/// </summary>
internal static class PriceChart
{
    public const string Title = "Adjusted close and moving averages";

    /// <summary>Trace order the page script relies on: adj close, MA 20, MA 50, MA 200.</summary>
    private static readonly (string Name, string Color, double Width, string Dash)[] Series =
    [
        ("Adjusted close", ChartColors.Price, 2.0, "solid"),
        ("MA 20", ChartColors.Ma20, 1.3, "solid"),
        ("MA 50", ChartColors.Ma50, 1.3, "solid"),
        ("MA 200", ChartColors.Ma200, 1.3, "dash"),
    ];

    public static JsonObject Build()
    {
        var traces = Series.Select(s =>
        {
            var trace = PlotlyFigure.Line(s.Name, [], [], new JsonObject { ["color"] = s.Color, ["width"] = s.Width, ["dash"] = s.Dash });
            trace["hovertemplate"] = $"{s.Name}: %{{y:,.2f}}<extra></extra>";
            return trace;
        });

        var layout = PlotlyFigure.Layout(Title, 500);
        layout["hovermode"] = "x unified";
        layout["xaxis"] = PlotlyFigure.Axis("Trade date", type: "date");
        layout["yaxis"] = PlotlyFigure.Axis("Adjusted close (price, currency units)", ",.2f");
        return PlotlyFigure.Create(traces, layout);
    }
}
