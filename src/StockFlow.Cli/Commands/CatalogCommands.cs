using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using StockFlow.Analytics.Catalog;
using StockFlow.Runtime.Local;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow catalog list|show &lt;table&gt;</c>: the local Glue-like catalog.</summary>
internal static class CatalogCommands
{
    public static Command Create()
    {
        var command = new Command("catalog", "Inspect the local catalog that the crawler and the transform job maintain.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateShow());
        return command;
    }

    private static Command CreateList()
    {
        var dataDir = CommonOptions.DataDir();
        var command = new Command("list", "Tables of the stockflow database.") { dataDir };
        command.SetAction(parse =>
        {
            var catalog = Open(parse.GetValue(dataDir));
            var table = new Table().AddColumns("Table", "Classification", "Columns", "Partitions", "Rows (est.)", "Version", "Updated", "Location");
            foreach (var t in catalog.GetTables())
            {
                table.AddRow(
                    Markup.Escape(t.Name),
                    Markup.Escape(t.Classification),
                    t.StorageDescriptor.Columns.Count.ToString(CultureInfo.InvariantCulture),
                    catalog.GetPartitions(t.Name).Count.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(t.Parameters.TryGetValue("recordCount", out var count) ? count : ""),
                    Markup.Escape(t.VersionId),
                    t.UpdateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    Markup.Escape(t.StorageDescriptor.Location));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var name = new Argument<string>("table") { Description = "raw_prices, daily_metrics or rejected_rows." };
        var partitions = new Option<bool>("--partitions") { Description = "Also print the partitions (GetPartitions)." };
        var versions = new Option<bool>("--versions") { Description = "Also print the schema versions (GetTableVersions)." };
        var dataDir = CommonOptions.DataDir();
        var command = new Command("show", "Print a table's metadata as Glue's GetTable returns it.") { name, partitions, versions, dataDir };
        command.SetAction(parse =>
        {
            var catalog = Open(parse.GetValue(dataDir));
            var tableName = parse.GetValue(name)!;
            if (catalog.TryGetTable(tableName) is not { } table)
            {
                return RunCommand.Fail($"No table '{tableName}'. Tables: {string.Join(", ", catalog.GetTables().Select(t => t.Name))}.");
            }

            Console.WriteLine(JsonSerializer.Serialize(new GetTableResponse(table), LocalCatalog.JsonOptions));
            if (parse.GetValue(partitions))
            {
                Console.WriteLine(JsonSerializer.Serialize(new GetPartitionsResponse(catalog.GetPartitions(tableName)), LocalCatalog.JsonOptions));
            }

            if (parse.GetValue(versions))
            {
                Console.WriteLine(JsonSerializer.Serialize(new GetTableVersionsResponse(catalog.GetTableVersions(tableName)), LocalCatalog.JsonOptions));
            }

            return 0;
        });
        return command;
    }

    private static LocalCatalog Open(string? dataDir) => new(new DataDirectory(dataDir).CatalogDirectory);
}
