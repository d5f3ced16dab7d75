using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using StockFlow.GlueAthena.Local.Catalog;
using StockFlow.Cli.Hosting;
using StockFlow.Runtime.Local;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow catalog list|show &lt;table&gt;</c>: the local Glue-like catalog.</summary>
internal static class CatalogCommands
{
    public static Command Create()
    {
        var command = new Command("catalog", "Inspect the local catalog that the crawler and the transform job maintain.");
        command.Subcommands.Add(CatalogListCommand.Create());
        command.Subcommands.Add(CatalogShowCommand.Create());
        return command;
    }

    public static LocalCatalog Open(string? dataDir) => new(new DataDirectory(dataDir).CatalogDirectory);
}

/// <summary><c>stockflow catalog list</c>: the tables of the stockflow database.</summary>
internal sealed class CatalogListCommand
{
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();

    public static Command Create() => new CatalogListCommand().Build();

    private Command Build()
    {
        var command = new Command("list", "Tables of the stockflow database.") { _dataDir };
        CliAction.Set(command, Execute);
        return command;
    }

    private int Execute(ParseResult parse, CliConsole console)
    {
        var catalog = CatalogCommands.Open(parse.GetValue(_dataDir));
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

        console.Ansi.Write(table);
        return ExitCodes.Success;
    }
}

/// <summary><c>stockflow catalog show &lt;table&gt;</c>: a table's metadata as Glue's GetTable returns it.</summary>
internal sealed class CatalogShowCommand
{
    private readonly Argument<string> _name = new("table") { Description = "raw_prices, daily_metrics or rejected_rows." };
    private readonly Option<bool> _partitions = new("--partitions") { Description = "Also print the partitions (GetPartitions)." };
    private readonly Option<bool> _versions = new("--versions") { Description = "Also print the schema versions (GetTableVersions)." };
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();

    public static Command Create() => new CatalogShowCommand().Build();

    private Command Build()
    {
        var command = new Command("show", "Print a table's metadata as Glue's GetTable returns it.") { _name, _partitions, _versions, _dataDir };
        CliAction.Set(command, Execute);
        return command;
    }

    private int Execute(ParseResult parse, CliConsole console)
    {
        var catalog = CatalogCommands.Open(parse.GetValue(_dataDir));
        var tableName = parse.GetValue(_name)!;
        var known = catalog.TableNames();
        if (!known.Contains(tableName, StringComparer.Ordinal) || catalog.TryGetTable(tableName) is not { } table)
        {
            throw new CliException($"No table '{tableName}'. Tables: {(known.Count == 0 ? "none yet (`stockflow run` crawls the lake)" : string.Join(", ", known))}.");
        }

        console.Out.WriteLine(JsonSerializer.Serialize(new GetTableResponse(table), LocalCatalog.JsonOptions));
        if (parse.GetValue(_partitions))
        {
            console.Out.WriteLine(JsonSerializer.Serialize(new GetPartitionsResponse(catalog.GetPartitions(tableName)), LocalCatalog.JsonOptions));
        }

        if (parse.GetValue(_versions))
        {
            console.Out.WriteLine(JsonSerializer.Serialize(new GetTableVersionsResponse(catalog.GetTableVersions(tableName)), LocalCatalog.JsonOptions));
        }

        return ExitCodes.Success;
    }
}
