using System.Diagnostics;
using System.Globalization;
using System.Text;
using StockFlow.GlueAthena.Local.Catalog;
using StockFlow.GlueAthena.Local.Results;
using StockFlow.GlueAthena.Local.Sandbox;
using StockFlow.ControlPlane.Scheduling;
using StockFlow.ControlPlane.StateMachines;
using StockFlow.Runtime.Local;

namespace StockFlow.ControlPlane.Pages;

/// <summary>The schedules, catalog, query and state-machine pages.</summary>
internal sealed class DataPages(DataDirectory directory, Scheduler scheduler, LandingWatcher? watcher, StateMachineRegistry machines)
{
    /// <summary>A query page shows at most this many rows; the CSV download has them all.</summary>
    public const int MaxShownRows = 1000;

    public string Schedules()
    {
        var body = new StringBuilder("<h1>Schedules</h1>");
        var schedules = scheduler.Describe();
        if (schedules.Count == 0)
        {
            body.Append("<p class=\"muted\">No schedules are configured. Add a <code>Schedules</code> array to the configuration file (<code>--config</code>, <code>$STOCKFLOW_CONFIG</code> or <code>./stockflow.json</code>):</p>");
            body.Append("<pre>{ \"Schedules\": [ { \"Name\": \"daily\", \"Cron\": \"0 22 * * 1-5\", \"TimeZone\": \"America/New_York\", \"MissedRuns\": \"RunOnce\", \"Input\": { \"provider\": \"sample\" } } ] }</pre><p class=\"muted\">or take the AWS deployment's schedule from its Pulumi stack: <code>{ \"Name\": \"daily\", \"PulumiStack\": \"Pulumi.dev.yaml\" }</code>.</p>");
        }
        else
        {
            body.Append("<table id=\"schedules\"><thead><tr><th>Name</th><th>Cron</th><th>Time zone</th><th>Missed runs</th><th>State machine</th><th>Next fire times</th><th>Last fired</th></tr></thead><tbody>");
            foreach (var s in schedules)
            {
                var d = s.Schedule;
                var next = s.Upcoming.Count == 0
                    ? "<span class=\"muted\">disabled</span>"
                    : string.Join("<br>", s.Upcoming.Select((t, i) => $"<span class=\"{(i == 0 ? "next-fire" : "later-fire")}\">{Html.E(t.ToString("ddd yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture))}</span> <small class=\"muted\">({Html.Time(t)})</small>"));
                var last = s.LastExecutionArn is { } arn
                    ? $"{Html.Time(s.LastFired)}<br><a href=\"{ExecutionPages.ExecutionUrl(d.StateMachine, arn[(arn.LastIndexOf(':') + 1)..])}\">execution</a>"
                    : Html.Time(s.LastFired);
                body.Append(CultureInfo.InvariantCulture, $"<tr data-schedule=\"{Html.E(d.Name)}\"><td>{Html.E(d.Name)}</td><td><code>{Html.E(d.Cron)}</code></td><td>{Html.E(d.TimeZone)}</td><td>{Html.E(d.MissedRuns.ToString())}</td><td>{Html.E(d.StateMachine)}</td><td>{next}</td><td>{last}</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("<h2>Landing watcher</h2>");
        body.Append(watcher is null
            ? "<p class=\"muted\">Off (--no-watch).</p>"
            : $"<p>A CSV file landing in <code>{Html.E(Path.Combine(directory.BucketRoot, "landing"))}</code> starts the pipeline with <code>{{\"provider\":\"csv\"}}</code>. Last start: {Html.Time(watcher.LastFired)}</p>");
        return Html.Layout("Schedules", "Schedules", body.ToString());
    }

    public string Catalog()
    {
        var catalog = new LocalCatalog(directory.CatalogDirectory);
        var tables = catalog.GetTables();
        var body = new StringBuilder("<h1>Catalog</h1>");
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">Database <code>{Html.E(catalog.DatabaseName)}</code> · {tables.Count} table(s) · the local crawler writes it as the Glue crawler would.</p>");
        body.Append("<table id=\"tables\"><thead><tr><th>Table</th><th>Classification</th><th>Columns</th><th>Partition keys</th><th>Location</th><th>Updated</th><th>Version</th></tr></thead><tbody>");
        foreach (var t in tables)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr><td><a href=\"/catalog/{Html.U(t.Name)}\">{Html.E(t.Name)}</a></td><td>{Html.E(t.Classification)}</td><td class=\"num\">{t.StorageDescriptor.Columns.Count}</td><td>{Html.E(string.Join(", ", t.PartitionKeys.Select(k => k.Name)))}</td><td><code>{Html.E(t.StorageDescriptor.Location)}</code></td><td>{Html.Time(t.UpdateTime)}</td><td>{Html.E(t.VersionId)}</td></tr>");
        }

        if (tables.Count == 0)
        {
            body.Append("<tr><td colspan=\"7\" class=\"muted\">No tables yet: run the pipeline once.</td></tr>");
        }

        body.Append("</tbody></table>");
        return Html.Layout("Catalog", "Catalog", body.ToString());
    }

    public string? Table(string name)
    {
        var catalog = new LocalCatalog(directory.CatalogDirectory);
        if (!ResourceArns.IsValidName(name) || catalog.TryGetTable(name) is not { } table)
        {
            return null;
        }

        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>{Html.E(table.Name)}</h1><p class=\"muted\">{Html.E(table.Classification)} · <code>{Html.E(table.StorageDescriptor.Location)}</code> · version {Html.E(table.VersionId)}</p>");
        body.Append("<h2>Columns</h2><table id=\"columns\"><thead><tr><th>Name</th><th>Type</th><th></th></tr></thead><tbody>");
        foreach (var c in table.StorageDescriptor.Columns)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.E(c.Name)}</td><td><code>{Html.E(c.Type)}</code></td><td></td></tr>");
        }

        foreach (var c in table.PartitionKeys)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.E(c.Name)}</td><td><code>{Html.E(c.Type)}</code></td><td class=\"muted\">partition key</td></tr>");
        }

        body.Append("</tbody></table>");
        var partitions = catalog.GetPartitions(table.Name);
        body.Append(CultureInfo.InvariantCulture, $"<h2>Partitions ({partitions.Count})</h2><table id=\"partitions\"><thead><tr><th>Values</th><th>Location</th><th>Created</th></tr></thead><tbody>");
        foreach (var p in partitions.Take(500))
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.E(string.Join(" / ", p.Values))}</td><td><code>{Html.E(p.StorageDescriptor.Location)}</code></td><td>{Html.Time(p.CreationTime)}</td></tr>");
        }

        body.Append("</tbody></table>");
        if (partitions.Count > 500)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">The first 500 of {partitions.Count} partitions.</p>");
        }

        var versions = catalog.GetTableVersions(table.Name);
        body.Append(CultureInfo.InvariantCulture, $"<h2>Schema versions ({versions.Count})</h2><table id=\"versions\"><thead><tr><th>Version</th><th>Updated</th><th>Columns</th></tr></thead><tbody>");
        foreach (var v in versions)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.E(v.VersionId)}</td><td>{Html.Time(v.Table.UpdateTime)}</td><td>{Html.E(string.Join(", ", v.Table.StorageDescriptor.Columns.Select(c => c.Name + " " + c.Type)))}</td></tr>");
        }

        body.Append("</tbody></table>");
        return Html.Layout(table.Name, "Catalog", body.ToString());
    }

    public async Task<string> QueryAsync(string? sql, string csrf, CancellationToken cancellationToken)
    {
        var service = new QueryService(directory.BucketRoot, directory.CatalogDirectory);
        var body = new StringBuilder("<h1>Query</h1>");
        IReadOnlyList<string> tables;
        try
        {
            tables = service.TableNames();
        }
        catch (Exception ex) when (ex is QuerySqlException or QueryRejectedException or IOException)
        {
            tables = [];
        }

        body.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">Read-only SQL (one SELECT) over the lake, in the same sandbox as <code>stockflow query</code>. Tables: {Html.E(string.Join(", ", tables))}</p>");
        var text = sql ?? (tables.Contains("daily_metrics") ? "SELECT symbol, trade_date, adj_close, ma_20, volatility_20\nFROM daily_metrics\nORDER BY trade_date DESC, symbol\nLIMIT 20" : "SELECT 1 AS one");
        body.Append(CultureInfo.InvariantCulture, $"""
            <form method="post" action="/query" id="query-form">{Html.CsrfField(csrf)}
            <textarea name="sql" rows="8" id="sql">{Html.E(text)}</textarea>
            <p><button class="primary" type="submit" id="run-query">Run</button>
            <button type="submit" formaction="/query.csv" id="download-csv">Download CSV</button></p></form>
            """);
        if (sql is not null)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                var result = await service.ExecuteAsync(sql, cancellationToken);
                body.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\" id=\"query-summary\">{result.Rows.Count} row(s) in {Html.Duration(watch.Elapsed)}{(result.Rows.Count > MaxShownRows ? $"; the first {MaxShownRows} are shown, the CSV has all" : string.Empty)}.</p>");
                body.Append("<div style=\"overflow:auto\"><table id=\"results\"><thead><tr>");
                foreach (var c in result.Columns)
                {
                    body.Append(CultureInfo.InvariantCulture, $"<th>{Html.E(c.Name)} <small class=\"muted\">{Html.E(c.Type)}</small></th>");
                }

                body.Append("</tr></thead><tbody>");
                foreach (var row in result.Rows.Take(MaxShownRows))
                {
                    body.Append("<tr>");
                    foreach (var value in row)
                    {
                        body.Append(CultureInfo.InvariantCulture, $"<td>{Html.E(ValueText.Format(value))}</td>");
                    }

                    body.Append("</tr>");
                }

                body.Append("</tbody></table></div>");
            }
            catch (Exception ex) when (ex is QuerySqlException or QueryRejectedException or QueryLimitException or QueryTableChangedException or CuratedTableDamagedException)
            {
                body.Append(CultureInfo.InvariantCulture, $"<pre class=\"error\" id=\"query-error\">{Html.E(ex.Message)}</pre>");
            }
        }

        return Html.Layout("Query", "Query", body.ToString(), csrf);
    }

    /// <summary>The whole result as CSV; the error message when the query is refused.</summary>
    public async Task<(string? Csv, string? Error)> QueryCsvAsync(string sql, CancellationToken cancellationToken)
    {
        var service = new QueryService(directory.BucketRoot, directory.CatalogDirectory);
        try
        {
            var result = await service.ExecuteAsync(sql, cancellationToken);
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            CsvResultWriter.Write(writer, result);
            return (writer.ToString(), null);
        }
        catch (Exception ex) when (ex is QuerySqlException or QueryRejectedException or QueryLimitException or QueryTableChangedException or CuratedTableDamagedException)
        {
            return (null, ex.Message);
        }
    }

    public string StateMachines()
    {
        var body = new StringBuilder("<h1>State machines</h1><p class=\"muted\">The pipeline is built in; others are created with CreateStateMachine (<code>aws stepfunctions create-state-machine --endpoint-url …</code>).</p>");
        foreach (var m in machines.List())
        {
            body.Append(CultureInfo.InvariantCulture, $"<div class=\"card\"><b>{Html.E(m.Name)}</b> <span class=\"muted\">{Html.E(m.Arn)} · updated {Html.Time(m.UpdateDate)}</span> · <a href=\"/?machine={Html.U(m.Arn)}\">executions</a>");
            body.Append("<details><summary>Graph</summary><div class=\"graph\">").Append(StateGraph.Render(m.Definition, new Dictionary<string, string>())).Append("</div></details>");
            body.Append(CultureInfo.InvariantCulture, $"<details><summary>Definition</summary><pre>{Html.E(ExecutionPages.Pretty(m.Definition))}</pre></details></div>");
        }

        return Html.Layout("State machines", "State machines", body.ToString());
    }

    /// <summary>
    /// The local path of a file under <c>reports/&lt;execution&gt;/</c>, or null when the request names
    /// anything else (.., absolute paths, another prefix, a missing file).
    /// </summary>
    public string? ReportFile(string execution, string relative)
    {
        if (!ResourceArns.IsValidName(execution) || relative.Length == 0 || relative.Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }

        var root = Path.GetFullPath(Path.Combine(directory.BucketRoot, "reports", execution));
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(full) ? full : null;
    }
}
