using System.Globalization;
using System.CommandLine;
using Spectre.Console;
using StockFlow.Analytics.Results;
using StockFlow.Analytics.Sandbox;
using StockFlow.Runtime.Local;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow query "&lt;sql&gt;"</c>: read-only SQL over the catalog tables.</summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var sql = new Argument<string>("sql") { Description = "One SELECT over raw_prices, daily_metrics or rejected_rows." };
        var format = new Option<string>("--format") { Description = "table (default), csv or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var dataDir = CommonOptions.DataDir();
        var command = new Command("query", "Run read-only SQL over the local catalog (DuckDB, sandboxed to the lake).") { sql, format, dataDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var directory = new DataDirectory(parse.GetValue(dataDir));
            if (!Directory.Exists(directory.CatalogDirectory))
            {
                return RunCommand.Fail($"No catalog in {directory.Root}: run `stockflow run` first (or pass --data-dir).");
            }

            var service = new QueryService(directory.BucketRoot, directory.CatalogDirectory);
            ResultSet result;
            try
            {
                result = await service.ExecuteAsync(parse.GetValue(sql)!, cancellationToken);
            }
            catch (QueryRejectedException ex)
            {
                return RunCommand.Fail(ex.Message);
            }
            catch (QuerySqlException ex)
            {
                return RunCommand.Fail(ex.Message);
            }

            var synthetic = LakeProvenance.SyntheticSymbols(directory);
            var syntheticNote = synthetic.Count == 0
                ? null
                : $"note: {synthetic.Count} symbol(s) in this lake hold synthetic sample data, not market prices ({string.Join(", ", synthetic.Take(5))}{(synthetic.Count > 5 ? ", ..." : string.Empty)}).";
            switch (parse.GetValue(format))
            {
                case "csv":
                    CsvResultWriter.Write(Console.Out, result);
                    break;
                case "json":
                    await using (var stdout = Console.OpenStandardOutput())
                    {
                        JsonResultWriter.Write(stdout, result);
                    }

                    Console.WriteLine();
                    break;
                default:
                    var table = new Table();
                    foreach (var column in result.Columns)
                    {
                        table.AddColumn(Markup.Escape(column.Name));
                    }

                    foreach (var row in result.Rows)
                    {
                        table.AddRow(row.Select(v => Markup.Escape(ValueText.Format(v))).ToArray());
                    }

                    AnsiConsole.Write(table);
                    AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]{result.Rows.Count} row(s)[/]");
                    if (syntheticNote is not null)
                    {
                        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]{syntheticNote}[/]");
                    }

                    return 0;
            }

            // Machine-readable output stays clean; the label goes to stderr.
            if (syntheticNote is not null)
            {
                await Console.Error.WriteLineAsync(syntheticNote);
            }

            return 0;
        });
        return command;
    }
}
