using System.Text.Json.Nodes;

namespace StockFlow.Reporting.Charts;

/// <summary>
/// Builds plotly.js figures ({data, layout, config}) as JSON, attribute by attribute with plotly.js's own names
/// (https://plotly.com/javascript/reference/), and the styling every chart shares.
/// </summary>
internal static class PlotlyFigure
{
    private const string GridColor = "#e3e6ea";

    /// <summary>The figure plotly.js draws: responsive, no plotly logo.</summary>
    public static JsonObject Create(IEnumerable<JsonObject> traces, JsonObject layout) => new()
    {
        ["data"] = new JsonArray([.. traces]),
        ["layout"] = layout,
        ["config"] = new JsonObject { ["responsive"] = true, ["displaylogo"] = false },
    };

    /// <summary>A trace of <paramref name="type"/> ("scatter", "bar") named in the legend.</summary>
    public static JsonObject Trace(string type, string name) => new()
    {
        ["type"] = type,
        ["name"] = name,
        ["showlegend"] = true,
    };

    /// <summary>A line trace (scatter, mode "lines") over dates.</summary>
    public static JsonObject Line(string name, IEnumerable<string> x, IEnumerable<double> y, JsonObject line)
    {
        var trace = Trace("scatter", name);
        trace["mode"] = "lines";
        trace["x"] = Array(x);
        trace["y"] = Array(y);
        trace["line"] = line;
        return trace;
    }

    public static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    public static JsonArray Array(IEnumerable<double> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    /// <summary>
    /// Title, legend above the plot area (never over a right-hand axis), light grid, readable margins, the chart's
    /// height, and the width left to the page (the charts resize with the window).
    /// </summary>
    public static JsonObject Layout(string title, int height) => new()
    {
        ["autosize"] = true,
        ["height"] = height,
        // Title and legend sit at fixed pixel offsets from the top of the chart, inside the top margin. Offsets
        // relative to the plot area (plotly's default) drift with the chart height and made the legend cover the
        // title on tall charts.
        ["title"] = new JsonObject
        {
            ["text"] = title, ["x"] = 0.0, ["xanchor"] = "left", ["xref"] = "paper",
            ["font"] = new JsonObject { ["size"] = 17 },
            ["yref"] = "container", ["y"] = 1 - (16.0 / height), ["yanchor"] = "top",
        },
        ["showlegend"] = true,
        ["legend"] = new JsonObject
        {
            ["orientation"] = "h", ["x"] = 0.0, ["xanchor"] = "left",
            ["yref"] = "container", ["y"] = 1 - (50.0 / height), ["yanchor"] = "top",
        },
        ["margin"] = new JsonObject { ["l"] = 80, ["r"] = 80, ["t"] = 100, ["b"] = 70 },
        ["font"] = new JsonObject
        {
            ["family"] = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", ["size"] = 13,
        },
        ["plot_bgcolor"] = "#ffffff",
        ["paper_bgcolor"] = "#ffffff",
    };

    /// <summary>An axis: title with its unit, optional d3 tick format, grid and automatic margins.</summary>
    public static JsonObject Axis(string title, string? tickFormat = null, string? type = null)
    {
        var axis = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = title, ["standoff"] = 12 },
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
}
