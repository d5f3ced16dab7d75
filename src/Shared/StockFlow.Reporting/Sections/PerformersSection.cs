using System.Text;
using StockFlow.Reporting.Csv;
using StockFlow.Reporting.Html;
using StockFlow.Reporting.Model;

namespace StockFlow.Reporting.Sections;

/// <summary>Best and worst symbols by cumulative return over the period, with their risk next to them.</summary>
internal static class PerformersSection
{
    public const int Count = 5;

    public static void Write(StringBuilder html, ReportQueryResults results)
    {
        html.Append("<section id=\"performers\"><h2>Top and bottom performers</h2>\n");
        var ranked = results.AverageReturns
            .Where(r => r.CumulativeReturn is not null)
            .OrderByDescending(r => r.CumulativeReturn)
            .ThenBy(r => r.Symbol, StringComparer.Ordinal)
            .ToList();
        if (ranked.Count == 0)
        {
            NoData.Write(html, results.AverageReturns.Count == 0
                ? NoData.EmptyQuery(ReportCsv.AverageReturnQuery)
                : "no symbol has a cumulative return for this period.");
            html.Append("</section>\n");
            return;
        }

        // With fewer than 2 × Count symbols the bottom list takes only those not already on top.
        var top = ranked.Take(Count).ToList();
        var bottom = ranked.Skip(top.Count).Reverse().Take(Count).ToList();
        var volatility = results.VolatilityRanking
            .GroupBy(v => v.Symbol, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().AnnualizedVolatility, StringComparer.Ordinal);

        html.Append("<div class=\"side-by-side\">");
        WriteTable(html, $"Top {top.Count} by cumulative return", top, volatility);
        if (bottom.Count > 0)
        {
            WriteTable(html, $"Bottom {bottom.Count} by cumulative return", bottom, volatility);
        }

        html.Append("</div></section>\n");
    }

    private static void WriteTable(
        StringBuilder html, string title, List<AverageReturnRow> rows, Dictionary<string, double?> volatility)
    {
        html.Append("<div><h3>").Append(HtmlText.Encode(title)).Append("</h3>\n");
        HtmlTable.Write(
            html,
            "data",
            ["Symbol", Cell.Number("Cumulative return"), Cell.Number("Annualized return"),
                Cell.Number("Annualized volatility"), Cell.Number("Trading days")],
            rows.Select(r => (IReadOnlyList<Cell>)
            [
                new Cell(r.Symbol, "sym"),
                Cell.Signed(r.CumulativeReturn),
                Cell.Signed(r.AnnualizedReturn),
                Cell.Number(ReportFormat.Percent(volatility.GetValueOrDefault(r.Symbol))),
                Cell.Number(ReportFormat.Integer(r.TradingDays)),
            ]));
        html.Append("</div>");
    }
}
