using System.Reflection;
using Plotly.NET;

namespace StockFlow.Reporting.Charts;

/// <summary>
/// The minified plotly.js that Plotly.NET ships as an embedded resource (what PlotlyJSReference.Full inlines),
/// so the report works offline without a CDN.
/// </summary>
public static class PlotlyJs
{
    private static readonly Lazy<string> Source = new(Load);

    /// <summary>The plotly.js version bundled with Plotly.NET (e.g. "2.28.0").</summary>
    public static string Version => Globals.PLOTLYJS_VERSION;

    /// <summary>The library source, safe to place inside a &lt;script&gt; element.</summary>
    public static string Script => Source.Value;

    private static string Load()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = $"Plotly.NET.plotly-{Version}.min.js";
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException(
                $"Plotly.NET {assembly.GetName().Version} does not embed '{name}'; " +
                $"resources: {string.Join(", ", assembly.GetManifestResourceNames())}.");
        using var reader = new StreamReader(stream);
        // "</script" inside the library would end the inline element early; "<\/script" means the same in JS.
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    }
}
