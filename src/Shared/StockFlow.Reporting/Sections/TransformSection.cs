using System.Text;
using StockFlow.Reporting.Html;
using StockFlow.Reporting.Model;

namespace StockFlow.Reporting.Sections;

/// <summary>The transform job's statistics: rows read, written and left out by reason.</summary>
internal static class TransformSection
{
    public static void Write(StringBuilder html, TransformSummary? transform)
    {
        if (transform is null)
        {
            return;
        }

        html.Append("<section id=\"transform\"><h2>Transform</h2>\n<p class=\"meta\">")
            .Append(HtmlText.Encode(transform.Mode)).Append(" run over ").Append(ReportFormat.Integer(transform.Symbols)).Append(" symbol(s)</p>\n");
        HtmlTable.Write(
            html,
            "data",
            ["Rows", Cell.Number("Count")],
            new IReadOnlyList<Cell>[]
            {
                ["read", Cell.Number(ReportFormat.Integer(transform.RowsRead))],
                ["written", Cell.Number(ReportFormat.Integer(transform.RowsWritten))],
                ["left out", new Cell(ReportFormat.Integer(transform.RowsExcluded), transform.RowsExcluded > 0 ? "num warn" : "num")],
            }.Concat(transform.ExcludedByReason.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => (IReadOnlyList<Cell>)[new Cell("left out: " + r.Key), Cell.Number(ReportFormat.Integer(r.Value))])));
        html.Append("</section>\n");
    }
}
