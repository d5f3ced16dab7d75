using System.Text;

namespace StockFlow.Reporting.Html;

/// <summary>The note shown instead of a chart or table that has nothing to show, saying why.</summary>
internal static class NoData
{
    public const string CssClass = "no-data";

    public static void Write(StringBuilder html, string message) =>
        html.Append("<p class=\"").Append(CssClass).Append("\">No data: ").Append(HtmlText.Encode(message)).Append("</p>\n");

    public static string EmptyQuery(string query) => $"the {query} query returned no rows for this period.";
}
