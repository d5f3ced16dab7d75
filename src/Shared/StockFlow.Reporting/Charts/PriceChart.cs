using System.Text.Json.Nodes;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace StockFlow.Reporting.Charts;

/// <summary>
/// Adjusted close with MA 20/50/200 for one symbol at a time.
/// One chart per symbol stops being usable (and the page size explodes) at hundreds of symbols, and a plotly
/// dropdown with hundreds of entries overflows the chart. So the report draws ONE chart and an HTML
/// &lt;select&gt; (keyboard-searchable, with previous/next buttons) that swaps in the chosen symbol's series.
/// Plotly.NET defines the traces, styling and axes here; the per-symbol series are stored once, compactly,
/// by <see cref="PriceSeriesJson"/> and the page's script fills the traces from them.
/// </summary>
internal static class PriceChart
{
    public const string Title = "Adjusted close and moving averages";

    /// <summary>Trace order the page script relies on: adj close, MA 20, MA 50, MA 200.</summary>
    private static readonly (string Name, string Color, double Width, StyleParam.DrawingStyle Dash)[] Series =
    [
        ("Adjusted close", ChartColors.Price, 2.0, StyleParam.DrawingStyle.Solid),
        ("MA 20", ChartColors.Ma20, 1.3, StyleParam.DrawingStyle.Solid),
        ("MA 50", ChartColors.Ma50, 1.3, StyleParam.DrawingStyle.Solid),
        ("MA 200", ChartColors.Ma200, 1.3, StyleParam.DrawingStyle.Dash),
    ];

    public static JsonObject Build()
    {
        var traces = Series.Select(s => CSharpChart.Line<string, double, string>(
                Array.Empty<string>(),
                Array.Empty<double>(),
                Name: s.Name,
                ShowLegend: true,
                LineColor: Color.fromString(s.Color),
                LineWidth: s.Width,
                LineDash: s.Dash)
            .WithTraceProperty("hovertemplate", $"{s.Name}: %{{y:,.2f}}<extra></extra>"));

        var chart = Plotly.NET.CSharp.Chart.Combine(traces)
            .WithReportStyle(Title)
            .WithLayoutProperty("hovermode", "x unified")
            .WithLayoutProperty("xaxis", PlotlyFigure.Axis("Trade date", type: "date"))
            .WithLayoutProperty("yaxis", PlotlyFigure.Axis("Adjusted close (price, currency units)", ",.2f"));
        return PlotlyFigure.ToFigure(chart, 500);
    }
}
