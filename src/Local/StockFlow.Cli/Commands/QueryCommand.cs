using System.CommandLine;
using StockFlow.GlueAthena.Local.Sandbox;
using StockFlow.Cli.Hosting;
using StockFlow.Cli.Output;
using StockFlow.Runtime.Local;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow query "&lt;sql&gt;"</c>: read-only SQL over the catalog tables, within a time and a memory limit.</summary>
internal sealed class QueryCommand
{
    /// <summary>Rows a table shows by default (csv and json write every row).</summary>
    public const int DefaultMaxRows = 1000;

    private const int MaxTimeoutSeconds = 86_400;

    private readonly Argument<string> _sql = new("sql") { Description = "One SELECT over raw_prices, daily_metrics or rejected_rows." };
    private readonly Option<string> _format = new("--format") { Description = "table (default), csv or json.", DefaultValueFactory = _ => "table" };
    private readonly Option<int> _maxRows = new("--max-rows")
    {
        Description = $"Table format: show at most this many rows (default {DefaultMaxRows}); csv and json write every row.",
        DefaultValueFactory = _ => DefaultMaxRows,
    };

    private readonly Option<double> _timeout = new("--timeout")
    {
        Description = $"Stop the query after this many seconds (default {QueryLimits.DefaultTimeout.TotalSeconds}).",
        DefaultValueFactory = _ => QueryLimits.DefaultTimeout.TotalSeconds,
    };

    private readonly Option<string> _memoryLimit = new("--memory-limit")
    {
        Description = $"DuckDB memory limit, e.g. 512MB or 4GB (default {QueryLimits.DefaultMemoryLimit}).",
        DefaultValueFactory = _ => QueryLimits.DefaultMemoryLimit,
    };

    private readonly Option<string?> _dataDir = CommonOptions.DataDir();

    public static Command Create() => new QueryCommand().Build();

    private Command Build()
    {
        _format.AcceptOnlyFromAmong("table", "csv", "json");
        var command = new Command("query", "Run read-only SQL over the local catalog (DuckDB, sandboxed to the lake).")
        {
            _sql, _format, _maxRows, _timeout, _memoryLimit, _dataDir,
        };
        CliAction.Set(command, ExecuteAsync);
        return command;
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CliConsole console, CancellationToken cancellationToken)
    {
        var sql = parse.GetValue(_sql) ?? string.Empty;
        if (string.IsNullOrWhiteSpace(sql))
        {
            throw new CliUsageException("The query is empty. Give one SELECT, e.g. stockflow query \"SELECT * FROM daily_metrics LIMIT 10\".");
        }

        var limits = Limits(parse);
        var maxRows = parse.GetValue(_maxRows);
        if (maxRows < 1)
        {
            throw new CliUsageException($"--max-rows must be at least 1 (was {maxRows}).");
        }

        var directory = new DataDirectory(parse.GetValue(_dataDir));
        if (!Directory.Exists(directory.CatalogDirectory))
        {
            throw new CliException($"No catalog in {directory.Root}: run `stockflow run` first (or pass --data-dir).");
        }

        var service = new QueryService(directory.BucketRoot, directory.CatalogDirectory, limits: limits);
        QueryOutcome outcome;
        switch (parse.GetValue(_format))
        {
            case "csv":
                outcome = await service.StreamAsync(sql, new CsvQueryWriter(console.Out), cancellationToken).ConfigureAwait(false);
                break;
            case "json":
                var json = new JsonQueryWriter(console.Out);
                outcome = await service.StreamAsync(sql, json, cancellationToken).ConfigureAwait(false);
                json.End();
                break;
            default:
                var table = new TableQueryWriter(console.Out, maxRows);
                outcome = await service.StreamAsync(sql, table, cancellationToken).ConfigureAwait(false);
                table.End();
                break;
        }

        // The label goes to stderr (machine-readable output stays clean), when the query read lake data at all.
        if (outcome.Tables.Count > 0 && SyntheticNote(directory) is { } note)
        {
            console.WriteNote(note);
        }

        return ExitCodes.Success;
    }

    private QueryLimits Limits(ParseResult parse)
    {
        var seconds = parse.GetValue(_timeout);
        if (!(seconds > 0) || seconds > MaxTimeoutSeconds)
        {
            throw new CliUsageException($"--timeout must be a number of seconds above 0 and at most {MaxTimeoutSeconds} (one day); was {seconds}.");
        }

        var limits = new QueryLimits { Timeout = TimeSpan.FromSeconds(seconds), MemoryLimit = parse.GetValue(_memoryLimit)! };
        try
        {
            limits.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"--memory-limit: {e.Message}", e);
        }

        return limits;
    }

    private static string? SyntheticNote(DataDirectory directory)
    {
        var synthetic = LakeProvenance.SyntheticSymbols(directory);
        return synthetic.Count == 0
            ? null
            : $"note: {synthetic.Count} symbol(s) in this lake hold synthetic sample data, not market prices ({string.Join(", ", synthetic.Take(5))}{(synthetic.Count > 5 ? ", ..." : string.Empty)}).";
    }
}
