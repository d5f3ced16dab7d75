using System.Text.Json.Nodes;
using Spectre.Console;
using StockFlow.Cli.Hosting;
using StockFlow.Functions.Hosting;
using StockFlow.Functions.Summarize;
using StockFlow.Runtime.Local;
using StockFlow.Providers;

namespace StockFlow.Cli.Commands;

/// <summary>The closing summary of <c>stockflow run</c>: id, status, symbols, rows, rejected rows, report.</summary>
internal static class RunSummary
{
    public static void Print(CliConsole console, ExecutionOutcome outcome, DataDirectory directory, JsonObject? ingestSeen = null)
    {
        var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("key").AddColumn("value");
        table.AddRow("Execution", Markup.Escape(outcome.Name));
        table.AddRow("Status", outcome.Succeeded ? "[green]SUCCEEDED[/]" : $"[red]{Markup.Escape(outcome.Status)}[/]");
        table.AddRow("Took", RunCommand.Seconds(outcome.Elapsed));
        if (outcome.Output is JsonObject output)
        {
            var ingest = output["ingest"] as JsonObject ?? [];
            table.AddRow("Provider", Markup.Escape(output["provider"]?.ToString() ?? "?"));
            if (output["provider"]?.ToString() == PriceProviders.Sample)
            {
                table.AddRow("Data", $"[yellow]{Markup.Escape(output["dataLabel"]?.ToString() ?? "synthetic")}[/]");
            }

            table.AddRow("Dates ingested", ingest["firstDate"] is not JsonValue
                ? "none new"
                : Markup.Escape($"{ingest["firstDate"]} .. {ingest["lastDate"]}"));
            table.AddRow("Analysis period", Markup.Escape($"{output["period"]?["from"]} .. {output["period"]?["to"]}"));
            var failed = Number(ingest, "failed");
            table.AddRow("Symbols", Markup.Escape($"{Number(ingest, "succeeded")} ingested" + (failed > 0 ? $", {failed} failed" : string.Empty)));
            table.AddRow("Rows", Markup.Escape($"{Number(ingest, "rowsAccepted")} accepted, {Number(ingest, "rowsWritten")} new or changed"));
            var rejected = Number(ingest, "rowsRejected");
            table.AddRow("Rejected rows", rejected > 0
                ? $"[yellow]{rejected}[/] (quarantined under raw/rejected/, reasons in each file)"
                : "0");
            if (output["report"]?["reportKey"]?.GetValue<string>() is { } reportKey)
            {
                table.AddRow("Report", Markup.Escape(directory.PathOf(reportKey)));
            }

            AddFailures(table, ingest);

            if (failed > SummarizeHandler.FailuresShown && ingest["summaryKey"]?.GetValue<string>() is { } summaryKey)
            {
                table.AddRow("[yellow]…[/]", Markup.Escape($"{failed - SummarizeHandler.FailuresShown} more failures: every outcome is in {directory.PathOf(summaryKey)}"));
            }
        }
        else if (ingestSeen is not null)
        {
            // The run ended without output (it failed): the symbols' reasons come from the ingest summary it passed.
            AddFailures(table, ingestSeen);
        }

        if (!outcome.Succeeded)
        {
            table.AddRow("Error", $"[red]{Markup.Escape(outcome.Error ?? string.Empty)}[/]");
            table.AddRow("Cause", Markup.Escape(LambdaErrors.Message(outcome.Cause)));
        }

        console.Ansi.Write(table);
    }

    private static void AddFailures(Table table, JsonObject ingest)
    {
        foreach (var failure in (ingest["failures"] as JsonArray ?? []).OfType<JsonObject>())
        {
            table.AddRow($"[yellow]{Markup.Escape(failure["symbol"]?.ToString() ?? "?")}[/]",
                Markup.Escape($"{failure["error"]}: {failure["cause"]}"));
        }
    }

    private static long Number(JsonObject node, string field) =>
        node[field] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
}
