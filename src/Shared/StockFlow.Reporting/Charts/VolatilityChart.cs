using System.Text.Json.Nodes;
using StockFlow.Reporting.Html;
using StockFlow.Reporting.Model;

namespace StockFlow.Reporting.Charts;

/// <summary>Annualized volatility per symbol as horizontal bars, the most volatile at the top.</summary>
internal static class VolatilityChart
{
    public const string Title = "Annualized volatility by symbol";

    private const int MaxLabelledBars = 100;

    /// <summary>
    /// Beyond this many symbols the chart shows the most and the least volatile halves of it: 10,000 bars on one
    /// chart are a solid blue wedge with unreadable labels. The full ranking is the volatility_ranking result.
    /// </summary>
    internal const int MaxBars = 60;

    /// <summary>Null when no symbol has a volatility (nothing to draw).</summary>
    public static JsonObject? Build(IReadOnlyList<VolatilityRankingRow> rows)
    {
        // Horizontal bars keep every symbol label readable however many there are; plotly draws the first
        // category at the bottom, so ascending order puts rank 1 on top.
        var bars = rows
            .Where(r => r.AnnualizedVolatility is not null)
            .OrderBy(r => r.AnnualizedVolatility)
            .ThenByDescending(r => r.Symbol, StringComparer.Ordinal)
            .ToList();
        if (bars.Count == 0)
        {
            return null;
        }

        var title = Title;
        if (bars.Count > MaxBars)
        {
            title = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{Title}: the {MaxBars / 2} most and {MaxBars / 2} least volatile of {bars.Count:N0}");
            bars = [.. bars.Take(MaxBars / 2), .. bars.TakeLast(MaxBars / 2)];
        }

        // Value labels at the bar ends stay legible down to ~18 px per bar; beyond that hover shows the value.
        var labelled = bars.Count <= MaxLabelledBars;
        var trace = PlotlyFigure.Trace("bar", "Annualized volatility");
        trace["orientation"] = "h";
        trace["x"] = PlotlyFigure.Array(bars.Select(b => b.AnnualizedVolatility!.Value));
        trace["y"] = PlotlyFigure.Array(bars.Select(b => HtmlText.Encode(b.Symbol)));
        if (labelled)
        {
            trace["text"] = PlotlyFigure.Array(bars.Select(b => ReportFormat.Percent(b.AnnualizedVolatility)));
            trace["textposition"] = "outside";
        }

        trace["marker"] = new JsonObject { ["color"] = ChartColors.Volatility };
        trace["hovertemplate"] = "%{y}: %{x:.2%}<extra>annualized volatility</extra>";
        trace["cliponaxis"] = false;

        // ~22 px per bar stays readable up to ~100 symbols; beyond that the height is capped and plotly thins
        // the tick labels (hover still names every bar).
        var height = Math.Clamp(160 + (22 * bars.Count), 360, 2400);
        var layout = PlotlyFigure.Layout(title, height);
        layout["xaxis"] = PlotlyFigure.Axis("Annualized volatility (%)", ".0%");
        layout["yaxis"] = PlotlyFigure.Axis("Symbol", type: "category");
        return PlotlyFigure.Create([trace], layout);
    }
}
