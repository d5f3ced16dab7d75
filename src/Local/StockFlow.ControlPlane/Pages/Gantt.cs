using System.Globalization;
using System.Text;

namespace StockFlow.ControlPlane.Pages;

/// <summary>The timeline of an execution's states as an SVG Gantt chart: one row per state, one bar per entry.</summary>
internal static class Gantt
{
    private const double LabelWidth = 190;
    private const double ChartWidth = 760;
    private const double RowHeight = 20;

    public static string Render(IReadOnlyList<StateSpan> spans, DateTimeOffset start, DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0)
        {
            return "<p class=\"muted\">No state has run yet.</p>";
        }

        var rows = spans.Select(s => s.State).Distinct(StringComparer.Ordinal).ToList();
        var total = Math.Max((end - start).TotalMilliseconds, 1);
        var height = (rows.Count * RowHeight) + 28;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"gantt\" width=\"{LabelWidth + ChartWidth + 20}\" height=\"{height}\">");
        for (var tick = 0; tick <= 4; tick++)
        {
            var x = LabelWidth + (ChartWidth * tick / 4);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" x2=\"{x:0.#}\" y1=\"0\" y2=\"{height - 16:0.#}\" stroke=\"#eaeef2\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{height - 4:0.#}\" font-size=\"10\" fill=\"#6e7781\" text-anchor=\"middle\">{Html.E(Html.Duration(TimeSpan.FromMilliseconds(total * tick / 4)))}</text>");
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var y = i * RowHeight;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 6}\" y=\"{y + 14:0.#}\" text-anchor=\"end\" font-size=\"11\">{Html.E(Html.Shorten(rows[i], 28))}</text>");
            foreach (var span in spans.Where(s => s.State == rows[i]))
            {
                var x = LabelWidth + (ChartWidth * (span.Start - start).TotalMilliseconds / total);
                var w = Math.Max(2, ChartWidth * ((span.End ?? end) - span.Start).TotalMilliseconds / total);
                var color = span.Outcome switch { "succeeded" => "#2da44e", "failed" => "#cf222e", "caught" => "#bf8700", _ => "#0969da" };
                var duration = Html.Duration((span.End ?? end) - span.Start);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"gantt-bar\" x=\"{x:0.#}\" y=\"{y + 4:0.#}\" width=\"{w:0.#}\" height=\"{RowHeight - 7:0.#}\" rx=\"2\" fill=\"{color}\"><title>{Html.E(span.State)}: {Html.E(duration)} ({Html.E(span.Outcome)})</title></rect>");
            }
        }

        svg.Append("</svg>");
        return svg.ToString();
    }
}
