using System.Text;
using StockFlow.Reporting.Html;
using StockFlow.Reporting.Model;

namespace StockFlow.Reporting.Sections;

/// <summary>Period, symbols, ingested and rejected rows at a glance.</summary>
internal static class SummarySection
{
    /// <summary>Above this many symbols the list folds away so the summary stays short.</summary>
    private const int InlineSymbolList = 20;

    public static void Write(StringBuilder html, ReportData data)
    {
        var ingestion = data.Ingestion;
        var failed = ingestion.Count(i => i.IsFailure);
        var rows = new List<(string, Cell)>
        {
            ("Execution", new Cell(data.ExecutionId, "mono")),
            ("Period", $"{ReportFormat.Date(data.PeriodFrom)} to {ReportFormat.Date(data.PeriodTo)}"),
            ("Generated at", ReportFormat.Timestamp(data.GeneratedAt)),
        };
        if (!string.IsNullOrWhiteSpace(data.DataLabel))
        {
            rows.Add(("Data", new Cell(data.DataLabel, "data-label-inline")));
        }

        rows.Add(("Symbols requested", Cell.Number(ReportFormat.Integer(data.Symbols.Count))));
        rows.Add(("Symbols ingested", Cell.Number(
            $"{ReportFormat.Integer(ingestion.Count - failed)} succeeded, {ReportFormat.Integer(failed)} failed")));
        rows.Add(("Rows ingested", Cell.Number(ReportFormat.Integer(ingestion.Sum(i => i.Rows)))));
        rows.Add(("Rows rejected", Cell.Number(ReportFormat.Integer(ingestion.Sum(i => i.RejectedRows)))));
        rows.Add(("Trading days analysed", Cell.Number(ReportFormat.Integer(data.Results.MarketTrend.Count))));

        html.Append("<section id=\"summary\"><h2>Summary</h2>\n");
        HtmlTable.WriteKeyValues(html, "summary", rows);
        WriteSymbolList(html, data.Symbols);
        html.Append("</section>\n");
    }

    private static void WriteSymbolList(StringBuilder html, IReadOnlyList<string> symbols)
    {
        if (symbols.Count == 0)
        {
            return;
        }

        var list = HtmlText.Encode(string.Join(", ", symbols));
        if (symbols.Count <= InlineSymbolList)
        {
            html.Append("<p class=\"symbols\">Symbols: ").Append(list).Append("</p>\n");
        }
        else
        {
            html.Append("<details class=\"symbols\"><summary>All ")
                .Append(ReportFormat.Integer(symbols.Count)).Append(" symbols</summary><p>")
                .Append(list).Append("</p></details>\n");
        }
    }
}
