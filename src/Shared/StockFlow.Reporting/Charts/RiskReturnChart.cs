using System.Text.Json.Nodes;
using StockFlow.Reporting.Html;
using StockFlow.Reporting.Model;

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

        var layout = PlotlyFigure.Layout(Title, 540);
        layout["xaxis"] = PlotlyFigure.Axis("Annualized volatility (%)", ".0%");
        layout["yaxis"] = PlotlyFigure.Axis("Annualized return (%)", ".0%");
        return PlotlyFigure.Create(traces, layout);
    }

    /// <summary>
    /// One colour's points. Labelled: the symbol above each point (mode markers+text); otherwise the symbols are
    /// still the points' text, which the hover template shows.
    /// </summary>
    private static JsonObject Trace(string name, string color, List<Point> points, bool labelled)
    {
        var trace = PlotlyFigure.Trace("scatter", name);
        trace["mode"] = labelled ? "markers+text" : "markers";
        trace["x"] = PlotlyFigure.Array(points.Select(p => p.Volatility));
        trace["y"] = PlotlyFigure.Array(points.Select(p => p.Return));
        trace["text"] = PlotlyFigure.Array(points.Select(p => HtmlText.Encode(p.Symbol)));
        if (labelled)
        {
            trace["textposition"] = "top center";
        }

        trace["marker"] = new JsonObject { ["color"] = color, ["size"] = 10 };
        trace["cliponaxis"] = false;
        trace["hovertemplate"] = "<b>%{text}</b><br>volatility %{x:.2%}<br>annualized return %{y:+.2%}<extra></extra>";
        return trace;
    }
}
