using System.Text;

namespace StockFlow.Reporting.Html;

/// <summary>A table cell: its text (escaped when written) and an optional CSS class.</summary>
internal sealed record Cell(string Text, string? CssClass = null)
{
    public static implicit operator Cell(string text) => new(text);

    /// <summary>A right-aligned number cell.</summary>
    public static Cell Number(string text) => new(text, "num");

    /// <summary>A signed percentage coloured by its sign.</summary>
    public static Cell Signed(double? fraction) =>
        new(ReportFormat.SignedPercent(fraction), fraction switch
        {
            > 0 => "num pos",
            < 0 => "num neg",
            _ => "num",
        });
}

/// <summary>Writes an HTML table; every header and cell text is escaped here, at the single place it is emitted.</summary>
internal static class HtmlTable
{
    public static void Write(StringBuilder html, string cssClass, IReadOnlyList<Cell> headers, IEnumerable<IReadOnlyList<Cell>> rows)
    {
        html.Append("<table class=\"").Append(HtmlText.Encode(cssClass)).Append("\"><thead><tr>");
        foreach (var header in headers)
        {
            AppendCell(html, "th", header);
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                AppendCell(html, "td", cell);
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>\n");
    }

    /// <summary>A two-column table of labels and values (the summary).</summary>
    public static void WriteKeyValues(StringBuilder html, string cssClass, IEnumerable<(string Label, Cell Value)> rows)
    {
        html.Append("<table class=\"").Append(HtmlText.Encode(cssClass)).Append("\"><tbody>");
        foreach (var (label, value) in rows)
        {
            html.Append("<tr>");
            AppendCell(html, "th", new Cell(label));
            AppendCell(html, "td", value);
            html.Append("</tr>");
        }

        html.Append("</tbody></table>\n");
    }

    private static void AppendCell(StringBuilder html, string tag, Cell cell)
    {
        html.Append('<').Append(tag);
        if (cell.CssClass is not null)
        {
            html.Append(" class=\"").Append(HtmlText.Encode(cell.CssClass)).Append('"');
        }

        html.Append('>').Append(HtmlText.Encode(cell.Text)).Append("</").Append(tag).Append('>');
    }
}
