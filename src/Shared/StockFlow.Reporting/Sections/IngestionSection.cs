using System.Text;
using StockFlow.Reporting.Html;
using StockFlow.Reporting.Model;

namespace StockFlow.Reporting.Sections;

/// <summary>Ingestion errors up front; the per-symbol detail folded below.</summary>
internal static class IngestionSection
{
    public static void WriteErrors(StringBuilder html, IReadOnlyList<IngestionSummaryRow> ingestion)
    {
        html.Append("<section id=\"ingestion-errors\"><h2>Ingestion errors</h2>\n");
        var failures = ingestion.Where(i => i.IsFailure).OrderBy(i => i.Symbol, StringComparer.Ordinal).ToList();
        if (ingestion.Count == 0)
        {
            NoData.Write(html, "no ingestion summary was recorded for this execution.");
        }
        else if (failures.Count == 0)
        {
            html.Append("<p class=\"ok\">All ").Append(ReportFormat.Integer(ingestion.Count))
                .Append(" symbols were ingested without errors.</p>\n");
        }
        else
        {
            HtmlTable.Write(
                html,
                "data errors",
                ["Symbol", "Status", "Error"],
                failures.Select(f => (IReadOnlyList<Cell>)
                [
                    new Cell(f.Symbol, "sym"),
                    f.Status,
                    new Cell(string.IsNullOrWhiteSpace(f.Error) ? ReportFormat.Missing : f.Error, "error-text"),
                ]));
        }

        html.Append("</section>\n");
    }

    public static void WriteDetails(StringBuilder html, IReadOnlyList<IngestionSummaryRow> ingestion)
    {
        if (ingestion.Count == 0)
        {
            return;
        }

        html.Append("<section id=\"ingestion\"><details><summary><h2>Ingestion per symbol (")
            .Append(ReportFormat.Integer(ingestion.Count)).Append(")</h2></summary>\n");
        HtmlTable.Write(
            html,
            "data",
            ["Symbol", Cell.Number("Rows"), Cell.Number("Rejected rows"), "Status", "Error"],
            ingestion.OrderBy(i => i.Symbol, StringComparer.Ordinal).Select(i => (IReadOnlyList<Cell>)
            [
                new Cell(i.Symbol, "sym"),
                Cell.Number(ReportFormat.Integer(i.Rows)),
                new Cell(ReportFormat.Integer(i.RejectedRows), i.RejectedRows > 0 ? "num warn" : "num"),
                new Cell(i.Status, i.IsFailure ? "neg" : null),
                new Cell(i.Error ?? string.Empty, "error-text"),
            ]));
        html.Append("</details></section>\n");
    }
}
