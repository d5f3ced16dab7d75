namespace StockFlow.Reporting.Charts;

/// <summary>
/// The minified plotly.js this assembly embeds (Charts/Assets/plotly.min.js, npm's plotly.js-dist-min), so the
/// report works offline without a CDN.
/// </summary>
public static class PlotlyJs
{
    private const string ResourceName = "StockFlow.Reporting.plotly.min.js";

    private static readonly Lazy<string> Source = new(Load);

    /// <summary>The embedded plotly.js version (its file header says the same).</summary>
    public static string Version => "2.28.0";

    /// <summary>The library source, safe to place inside a &lt;script&gt; element.</summary>
    public static string Script => Source.Value;

    private static string Load()
    {
        using var stream = typeof(PlotlyJs).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{typeof(PlotlyJs).Assembly.GetName().Name} does not embed '{ResourceName}'.");
        using var reader = new StreamReader(stream);
        // "</script" inside the library would end the inline element early; "<\/script" means the same in JS.
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    }
}
