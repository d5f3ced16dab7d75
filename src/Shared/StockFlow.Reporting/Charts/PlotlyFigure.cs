using System.Text.Json.Nodes;
using Plotly.NET;

namespace StockFlow.Reporting.Charts;

/// <summary>
/// Styling and serialization shared by every chart. Plotly.NET builds the traces; attributes its C# API does not
/// expose (tick formats, hover templates, a second y axis) are set on the underlying DynamicObj by their plotly.js
/// names.
/// </summary>
internal static class PlotlyFigure
{
    private const string GridColor = "#e3e6ea";

    public static GenericChart WithTraceProperty(this GenericChart chart, string name, object value)
    {
        foreach (var trace in GenericChart.getTraces(chart))
        {
            trace.SetProperty(name, value);
        }

        return chart;
    }

    public static GenericChart WithLayoutProperty(this GenericChart chart, string name, object value)
    {
        GenericChart.getLayout(chart).SetProperty(name, value);
        return chart;
    }

    /// <summary>
    /// Title, legend above the plot area (never over a right-hand axis), light grid, readable margins.
    /// Vertical positions are set in <see cref="ToFigure"/>, once the chart height is known.
    /// </summary>
    public static GenericChart WithReportStyle(this GenericChart chart, string title) =>
        chart
            .WithLayoutProperty("title", new Dictionary<string, object>
            {
                ["text"] = title, ["x"] = 0.0, ["xanchor"] = "left", ["xref"] = "paper",
                ["font"] = new Dictionary<string, object> { ["size"] = 17 },
            })
            .WithLayoutProperty("showlegend", true)
            .WithLayoutProperty("legend", new Dictionary<string, object>
            {
                ["orientation"] = "h", ["x"] = 0.0, ["xanchor"] = "left",
            })
            .WithLayoutProperty("margin", new Dictionary<string, object> { ["l"] = 80, ["r"] = 80, ["t"] = 100, ["b"] = 70 })
            .WithLayoutProperty("font", new Dictionary<string, object>
            {
                ["family"] = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", ["size"] = 13,
            })
            .WithLayoutProperty("plot_bgcolor", "#ffffff")
            .WithLayoutProperty("paper_bgcolor", "#ffffff");

    /// <summary>An axis: title with its unit, optional d3 tick format, grid and automatic margins.</summary>
    public static Dictionary<string, object> Axis(string title, string? tickFormat = null, string? type = null)
    {
        var axis = new Dictionary<string, object>
        {
            ["title"] = new Dictionary<string, object> { ["text"] = title, ["standoff"] = 12 },
            ["automargin"] = true,
            ["gridcolor"] = GridColor,
            ["zerolinecolor"] = "#9aa0a6",
            ["linecolor"] = "#9aa0a6",
            ["showline"] = true,
        };
        if (tickFormat is not null)
        {
            axis["tickformat"] = tickFormat;
        }

        if (type is not null)
        {
            axis["type"] = type;
        }

        return axis;
    }

    /// <summary>
    /// The figure as plotly.js expects it ({data, layout, config}). Plotly.NET's default template (~8 kB per
    /// chart, and most of the serialization time) and its fixed width are dropped before serializing: the page
    /// styles the charts itself and they resize with the window.
    /// </summary>
    public static JsonObject ToFigure(GenericChart chart, int height)
    {
        var layout = GenericChart.getLayout(chart);
        layout.RemoveProperty("template");
        layout.RemoveProperty("width");
        layout.SetProperty("height", height);
        layout.SetProperty("autosize", true);
        PinTitleAndLegendToTop(layout, height);

        var figure = JsonNode.Parse(GenericChart.toJson(chart))!.AsObject();
        figure["config"] = new JsonObject { ["responsive"] = true, ["displaylogo"] = false };
        return figure;
    }

    /// <summary>
    /// Places title and legend at fixed pixel offsets from the top of the chart, inside the top margin. Offsets
    /// relative to the plot area (plotly's default) drift with the chart height and made the legend cover the
    /// title on tall charts.
    /// </summary>
    private static void PinTitleAndLegendToTop(DynamicObj.DynamicObj layout, int height)
    {
        if (layout.TryGetPropertyValue("title")?.Value is Dictionary<string, object> title)
        {
            title["yref"] = "container";
            title["y"] = 1 - (16.0 / height);
            title["yanchor"] = "top";
        }

        if (layout.TryGetPropertyValue("legend")?.Value is Dictionary<string, object> legend)
        {
            legend["yref"] = "container";
            legend["y"] = 1 - (50.0 / height);
            legend["yanchor"] = "top";
        }
    }
}
