using System.Text.Json.Nodes;
using Spectre.Console;
using StockFlow.Functions.Report;
using StockFlow.Runtime.Local;

namespace StockFlow.Cli.Commands;

/// <summary>The closing summary of <c>stockflow run</c>: id, status, symbols, rows, rejected rows, report.</summary>
internal static class RunSummary
{
    public static void Print(ExecutionOutcome outcome, DataDirectory directory)
    {
        var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("key").AddColumn("value");
        table.AddRow("Execution", Markup.Escape(outcome.Name));
        table.AddRow("Status", outcome.Succeeded ? "[green]SUCCEEDED[/]" : $"[red]{Markup.Escape(outcome.Status)}[/]");
        table.AddRow("Took", RunCommand.Seconds(outcome.Elapsed));
        if (outcome.Output is JsonObject output)
        {
            var ingest = output["ingest"] as JsonArray ?? [];
            var succeeded = Strings(output["succeeded"]);
            var failed = Strings(output["failed"]);
            table.AddRow("Provider", Markup.Escape(output["provider"]?.ToString() ?? "?"));
            if (output["provider"]?.ToString() == "sample")
            {
                table.AddRow("Data", $"[yellow]{Markup.Escape(output["dataLabel"]?.ToString() ?? "synthetic")}[/]");
            }
            var firstDates = ingest.Select(i => i?["firstDate"]?.ToString()).OfType<string>().ToList();
            var lastDates = ingest.Select(i => i?["lastDate"]?.ToString()).OfType<string>().ToList();
            table.AddRow("Dates ingested", firstDates.Count == 0
                ? "none new"
                : Markup.Escape($"{firstDates.Min(StringComparer.Ordinal)} .. {lastDates.Max(StringComparer.Ordinal)}"));
            table.AddRow("Analysis period", Markup.Escape($"{output["period"]?["from"]} .. {output["period"]?["to"]}"));
            table.AddRow("Symbols", Markup.Escape($"{succeeded.Count} ingested" + (failed.Count > 0 ? $", {failed.Count} failed: {string.Join(", ", failed)}" : string.Empty)));
            table.AddRow("Rows", Markup.Escape($"{Sum(ingest, "rowsAccepted")} accepted, {Sum(ingest, "rowsWritten")} new or changed"));
            var rejected = Sum(ingest, "rowsRejected");
            table.AddRow("Rejected rows", rejected > 0
                ? $"[yellow]{rejected}[/] (quarantined under raw/rejected/, reasons in each file)"
                : "0");
            if (output["report"]?["reportKey"]?.GetValue<string>() is { } reportKey)
            {
                table.AddRow("Report", Markup.Escape(directory.PathOf(reportKey)));
            }

            foreach (var failure in ingest.OfType<JsonObject>().Where(i => i["status"]?.GetValue<string>() == "failed"))
            {
                table.AddRow($"[yellow]{Markup.Escape(failure["symbol"]?.ToString() ?? "?")}[/]",
                    Markup.Escape($"{failure["error"]}: {LambdaErrors.Message(failure["cause"]?.ToString())}"));
            }
        }

        if (!outcome.Succeeded)
        {
            table.AddRow("Error", $"[red]{Markup.Escape(outcome.Error ?? string.Empty)}[/]");
            table.AddRow("Cause", Markup.Escape(LambdaErrors.Message(outcome.Cause)));
        }

        AnsiConsole.Write(table);
    }

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n?.ToString() ?? string.Empty).ToList() : [];

    private static long Sum(JsonArray items, string field) =>
        items.OfType<JsonObject>().Sum(i => i[field] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0);
}
