using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace StockFlow.ControlPlane.Pages;

/// <summary>
/// Everything a page shows goes through <see cref="E"/> (HTML-encoding text and attribute values):
/// a symbol, an error message or a query result cannot inject markup or script.
/// </summary>
internal static class Html
{
    public static string E(string? text) => text is null ? string.Empty : HtmlEncoder.Default.Encode(text);

    /// <summary>A URL path segment, encoded for the URL and then for HTML.</summary>
    public static string U(string segment) => E(Uri.EscapeDataString(segment));

    public static string Time(DateTimeOffset? t) => t is { } v ? v.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : string.Empty;

    public static string Duration(TimeSpan span) => span.TotalSeconds switch
    {
        < 1 => span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms",
        < 60 => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s",
        < 3600 => ((int)span.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " min " + span.Seconds.ToString(CultureInfo.InvariantCulture) + " s",
        _ => ((int)span.TotalHours).ToString(CultureInfo.InvariantCulture) + " h " + span.Minutes.ToString(CultureInfo.InvariantCulture) + " min",
    };

    public static string Status(string status) => $"<span class=\"status status-{E(status.ToLowerInvariant())}\">{E(status)}</span>";

    public static string Shorten(string? text, int length) => text is null ? string.Empty : text.Length <= length ? text : text[..length] + "…";

    /// <summary>The anti-forgery field every state-changing form carries.</summary>
    public static string CsrfField(string token) => $"<input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"{E(token)}\">";

    public static string Number(double value, string format = "0.###") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The page around a body: header with the navigation, style and the console's script.</summary>
    public static string Layout(string title, string active, string body, string? csrfToken = null)
    {
        var nav = new StringBuilder();
        foreach (var (href, label) in new[] { ("/", "Executions"), ("/schedules", "Schedules"), ("/catalog", "Catalog"), ("/query", "Query"), ("/state-machines", "State machines") })
        {
            nav.Append(CultureInfo.InvariantCulture, $"<a href=\"{href}\"{(label == active ? " class=\"active\"" : string.Empty)}>{label}</a>");
        }

        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            {(csrfToken is null ? string.Empty : $"<meta name=\"csrf-token\" content=\"{E(csrfToken)}\">")}
            <title>{E(title)} · StockFlow</title>
            <link rel="stylesheet" href="/assets/console.css">
            <script src="/assets/console.js" defer></script>
            </head><body>
            <header><span class="brand">StockFlow</span><nav>{nav}</nav></header>
            <main>
            {body}
            </main></body></html>
            """;
    }
}
