using System.Net;

namespace StockFlow.Reporting.Html;

/// <summary>Escaping for text placed in HTML, and for JSON placed inside a &lt;script&gt; element.</summary>
public static class HtmlText
{
    /// <summary>Encodes &amp; &lt; &gt; " ' so any text (symbols, error messages) is shown, never interpreted.</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>
    /// Makes JSON safe inside &lt;script type="application/json"&gt;: "&lt;/script&gt;" or "&lt;!--" in a string
    /// value would end or confuse the element. These characters only occur inside JSON strings, where
    /// \u escapes keep their meaning.
    /// </summary>
    public static string JsonForScript(string json) =>
        json.Replace("<", "\\u003c", StringComparison.Ordinal)
            .Replace(">", "\\u003e", StringComparison.Ordinal)
            .Replace("&", "\\u0026", StringComparison.Ordinal)
            .Replace("\u2028", "\\u2028", StringComparison.Ordinal)
            .Replace("\u2029", "\\u2029", StringComparison.Ordinal);
}
