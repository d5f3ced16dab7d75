using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.ControlPlane.Executions;
using StockFlow.ControlPlane.StateMachines;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Executions;
using StockFlow.Providers;

namespace StockFlow.ControlPlane.Pages;

/// <summary>The executions list and the execution page.</summary>
public sealed class ExecutionPages(StateMachineRegistry machines, ExecutionLauncher launcher, DataDirectory directory)
{
    /// <summary>Executions on one page of the list (the console benchmark checks the page shows this many).</summary>
    public const int PageSize = 50;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly string[] Statuses = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];

    private ExecutionStore Store => launcher.Store;

    /// <summary>The executions page: the start form (prefilled with the last input), the filters and the first page of rows.</summary>
    /// <param name="filter">The filters and cursor from the query string.</param>
    /// <param name="csrf">The anti-forgery token the page's forms carry.</param>
    public string List(ExecutionFilter filter, string csrf)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var page = Store.ListPage(filter.ToQuery(PageSize));
        var allMachines = machines.List();
        var selected = allMachines.FirstOrDefault(m => m.Arn == filter.StateMachineArn) ?? machines.Pipeline;
        var lastInput = Store.LastInput(selected.Arn) ?? DefaultInput(selected);
        var body = new StringBuilder();
        body.Append("<h1>Executions</h1>");
        body.Append(CultureInfo.InvariantCulture, $"""
            <details class="card" id="start-card"><summary><b>Start an execution</b></summary>
            <form method="post" action="/ui/start" id="start-form">{Html.CsrfField(csrf)}
            <div class="bar"><label>State machine<select name="stateMachine" id="start-machine">
            {string.Concat(allMachines.Select(m => $"<option value=\"{Html.E(m.Name)}\"{(m.Name == selected.Name ? " selected" : string.Empty)}>{Html.E(m.Name)}</option>"))}
            </select></label><label>Name (optional)<input name="name" placeholder="generated"></label></div>
            <label>Input (JSON; prefilled from the last run)<textarea name="input" id="start-input" rows="6">{Html.E(Pretty(lastInput))}</textarea></label>
            <p><button class="primary" type="submit" id="start-button">Start execution</button></p>
            </form></details>
            """);
        body.Append("<form class=\"bar\" method=\"get\" action=\"/\" id=\"filter\">");
        body.Append("<label>Status<select name=\"status\"><option value=\"\">any</option>");
        foreach (var status in Statuses)
        {
            body.Append(CultureInfo.InvariantCulture, $"<option{(status == filter.Status ? " selected" : string.Empty)}>{status}</option>");
        }

        body.Append("</select></label>");
        body.Append(CultureInfo.InvariantCulture, $"<label>Name contains<input name=\"name\" value=\"{Html.E(filter.Name)}\"></label>");
        body.Append("<label>State machine<select name=\"machine\"><option value=\"\">any</option>");
        foreach (var m in allMachines)
        {
            body.Append(CultureInfo.InvariantCulture, $"<option value=\"{Html.E(m.Arn)}\"{(m.Arn == filter.StateMachineArn ? " selected" : string.Empty)}>{Html.E(m.Name)}</option>");
        }

        body.Append("</select></label><button type=\"submit\">Filter</button></form>");
        var live = filter.After is null
            ? $" data-live=\"/ui/executions/rows{Html.E(filter.QueryString(null))}\" data-stream=\"/ui/executions/stream{Html.E(filter.QueryString(null))}\""
            : string.Empty;
        body.Append(CultureInfo.InvariantCulture, $"<table id=\"executions\"><thead><tr><th>Name</th><th>State machine</th><th>Status</th><th>Started</th><th>Duration</th><th>Input</th><th>Error</th></tr></thead><tbody{live}>");
        body.Append(Rows(page.Items));
        body.Append("</tbody></table><div class=\"pager\">");
        if (filter.After is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<a href=\"/{Html.E(filter.QueryString(null))}\">« Newest</a>");
        }

        if (page.Next is { } next)
        {
            body.Append(CultureInfo.InvariantCulture, $"<a id=\"older\" href=\"/{Html.E(filter.QueryString(next))}\">Older »</a>");
        }

        body.Append("</div>");
        return Html.Layout("Executions", "Executions", body.ToString(), csrf);
    }

    /// <summary>The table rows alone: the list page streams them (or polls them without Server-Sent Events).</summary>
    public string Rows(ExecutionFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Rows(Store.ListPage(filter.ToQuery(PageSize)).Items);
    }

    private string Rows(IReadOnlyList<ExecutionSummary> items)
    {
        if (items.Count == 0)
        {
            return "<tr><td colspan=\"7\" class=\"muted\">No executions match.</td></tr>";
        }

        var now = DateTimeOffset.UtcNow;
        var rows = new StringBuilder();
        var inputs = InputSummaries(items);
        foreach (var e in items)
        {
            var machine = MachineName(e.StateMachine);
            rows.Append(CultureInfo.InvariantCulture, $"""
                <tr data-status="{Html.E(e.Status)}"><td><a href="{ExecutionUrl(machine, e.Name)}">{Html.E(e.Name)}</a></td><td>{Html.E(machine)}</td>
                <td>{Html.Status(e.Status)}</td><td>{Html.Time(e.StartDate)}</td><td class="num">{Html.Duration((e.StopDate ?? now) - e.StartDate)}</td>
                <td><code>{Html.E(Html.Shorten(inputs.GetValueOrDefault(e.ExecutionArn), 70))}</code></td><td class="error">{Html.E(Html.Shorten(e.Error, 60))}</td></tr>
                """);
        }

        return rows.ToString();
    }

    /// <summary>One execution's page: status, input and output, the state graph, the timeline, task attempts and the history.</summary>
    /// <param name="machineName">The state machine's name.</param>
    /// <param name="name">The execution name.</param>
    /// <param name="csrf">The anti-forgery token the page's forms carry.</param>
    /// <returns>The HTML page, or null when there is no such execution.</returns>
    public string? Execution(string machineName, string name, string csrf)
    {
        var arn = Runtime.Local.Definitions.LocalResourceNames.ExecutionArn(machineName, name);
        var execution = Store.FindByArn(arn);
        if (execution is null || execution.Summary.ExecutionArn != arn)
        {
            return null;
        }

        var s = execution.Summary;
        var analysis = new ExecutionAnalysis(Store.GetEvents(arn));
        var end = s.StopDate ?? DateTimeOffset.UtcNow;
        var url = ExecutionUrl(machineName, name);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <h1 id="execution" data-status="{Html.E(s.Status)}" data-events="{s.EventCount}" data-stream="{url}/stream">{Html.E(name)} {Html.Status(s.Status)}</h1>
            <div class="grid2"><div class="card"><table class="kv">
            <tr><td>State machine</td><td>{Html.E(machineName)}</td></tr>
            <tr><td>ARN</td><td><code>{Html.E(arn)}</code></td></tr>
            <tr><td>Started</td><td>{Html.Time(s.StartDate)}</td></tr>
            <tr><td>Stopped</td><td>{Html.Time(s.StopDate)}</td></tr>
            <tr><td>Duration</td><td>{Html.Duration(end - s.StartDate)}</td></tr>
            <tr><td>Redrives</td><td>{s.RedriveCount}</td></tr>
            <tr><td>Events</td><td>{s.EventCount}</td></tr>
            {(s.Error is null ? string.Empty : $"<tr><td>Error</td><td class=\"error\" id=\"execution-error\">{Html.E(s.Error)}</td></tr>")}
            {(s.Cause is null ? string.Empty : $"<tr><td>Cause</td><td><pre class=\"error\">{Html.E(s.Cause)}</pre></td></tr>")}
            {ReportRow(name)}
            </table></div>
            <div class="card"><b>Actions</b>
            """);
        if (s.Status == "RUNNING")
        {
            body.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"{url}/stop\" class=\"inline\">{Html.CsrfField(csrf)}<button class=\"danger\" id=\"stop\">Stop</button></form>");
        }
        else if (s.Status != "SUCCEEDED")
        {
            body.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"{url}/redrive\" class=\"inline\">{Html.CsrfField(csrf)}<button class=\"primary\" id=\"redrive\">Redrive from the failure</button></form>");
        }

        body.Append(CultureInfo.InvariantCulture, $"""
            <form method="post" action="{url}/rerun">{Html.CsrfField(csrf)}
            <label>Input (edit to rerun with another input)<textarea name="input" rows="7" id="rerun-input">{Html.E(Pretty(execution.Input))}</textarea></label>
            <p><button type="submit" id="rerun">Rerun with this input</button></p></form>
            {(execution.Output is null ? string.Empty : $"<details><summary>Output</summary><pre id=\"output\">{Html.E(Pretty(execution.Output))}</pre></details>")}
            </div></div>
            """);

        body.Append("<h2>Graph</h2><div class=\"legend\"><span><i style=\"background:#dafbe1;border:1px solid #1a7f37\"></i>succeeded</span><span><i style=\"background:#ffebe9;border:1px solid #cf222e\"></i>failed</span><span><i style=\"background:#ddf4ff;border:1px solid #0969da\"></i>running</span><span><i style=\"background:#fff8c5;border:1px solid #9a6700\"></i>caught</span><span><i style=\"background:#fff;border:1px solid #afb8c1\"></i>not run</span><span style=\"color:#cf222e\">- - catch</span><span style=\"color:#0969da\">— choice</span></div>");
        body.Append("<div class=\"graph\" id=\"graph\">").Append(StateGraph.Render(execution.Definition, analysis.StateStatus)).Append("</div>");
        body.Append("<h2>Timeline</h2><div class=\"graph\" id=\"timeline\">").Append(Gantt.Render(analysis.Spans, s.StartDate, end)).Append("</div>");

        if (analysis.Attempts.Count > 0)
        {
            body.Append("<h2>Task attempts</h2><table id=\"attempts\"><thead><tr><th>State</th><th>Attempt</th><th>Started</th><th>Duration</th><th>Result</th><th>Error</th></tr></thead><tbody>");
            foreach (var a in analysis.Attempts)
            {
                body.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.E(a.State)}</td><td class=\"num\">{a.Attempt}</td><td>{Html.Time(a.Start)}</td><td class=\"num\">{(a.End is { } e ? Html.Duration(e - a.Start) : string.Empty)}</td><td>{Html.Status(a.Outcome.ToUpperInvariant())}</td><td class=\"error\">{Html.E(a.Error)}{(a.Cause is null ? string.Empty : "<br><small>" + Html.E(Html.Shorten(a.Cause, 300)) + "</small>")}</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        if (analysis.MapRuns.Count > 0)
        {
            body.Append("<h2>Map runs</h2>");
            foreach (var run in analysis.MapRuns)
            {
                var counts = run.Items.GroupBy(i => i.Status).Select(g => $"{g.Count()} {g.Key}");
                body.Append(CultureInfo.InvariantCulture, $"<details class=\"card map-run\"><summary><b>{Html.E(run.State)}</b> · {run.Items.Count} item(s){(run.Length is { } l ? $" of {l}" : string.Empty)}: {Html.E(string.Join(", ", counts))}{(run.MapRunArn is null ? string.Empty : " · <code>" + Html.E(run.MapRunArn) + "</code>")}</summary><table><thead><tr><th>Item</th><th>Status</th></tr></thead><tbody>");
                foreach (var (index, status) in run.Items)
                {
                    body.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"num\">{index}</td><td>{Html.Status(status.ToUpperInvariant())}</td></tr>");
                }

                body.Append("</tbody></table></details>");
            }
        }

        var recorded = Store.ListMapRuns(arn);
        if (recorded.Count > 0)
        {
            body.Append("<h2>Distributed Map runs</h2>");
            foreach (var run in recorded)
            {
                var children = Store.GetChildren(run.MapRunArn);
                var c = run.ItemCounts;
                body.Append(CultureInfo.InvariantCulture, $"<details class=\"card map-run\" open><summary><b>{Html.E(run.StateName)}</b> {Html.Status(run.Status)} · {c.Total} item(s): {c.Succeeded} succeeded, {c.Failed} failed, {c.TimedOut} timed out, {c.Aborted} aborted, {c.Running} running, {c.Pending} pending · redrives {run.RedriveCount} · <code>{Html.E(run.MapRunArn)}</code></summary>");
                body.Append("<table><thead><tr><th>Item</th><th>Child execution</th><th>Status</th><th>Started</th><th>Duration</th><th>Input</th><th>Error</th></tr></thead><tbody>");
                foreach (var child in children.Take(500))
                {
                    body.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"num\">{child.Index}</td><td>{Html.E(child.Name)}</td><td>{Html.Status(child.Status)}</td><td>{Html.Time(child.StartDate)}</td><td class=\"num\">{(child.StopDate is { } stop ? Html.Duration(stop - child.StartDate) : string.Empty)}</td><td><code>{Html.E(Html.Shorten(child.Input, 80))}</code></td><td class=\"error\">{Html.E(child.Error)}{(child.Cause is null ? string.Empty : "<br><small>" + Html.E(Html.Shorten(child.Cause, 200)) + "</small>")}</td></tr>");
                }

                body.Append("</tbody></table>");
                if (children.Count > 500)
                {
                    body.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">The first 500 of {children.Count} child executions.</p>");
                }

                body.Append("</details>");
            }
        }

        body.Append("<h2>Event history</h2><table id=\"events\"><thead><tr><th>Id</th><th>Type</th><th>State</th><th>Time</th><th>Details</th></tr></thead><tbody>");
        foreach (var e in analysis.Events)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"num\">{e.Event.Id}</td><td>{Html.E(e.Event.Type)}</td><td>{Html.E(e.State)}</td><td>{Html.Time(e.Event.Timestamp)}</td><td>{EventDetails(e)}</td></tr>");
        }

        body.Append("</tbody></table>");
        return Html.Layout(name, "Executions", body.ToString(), csrf);
    }

    /// <summary>What the execution page follows while the execution runs (streamed, or polled): it refreshes in place when this changes.</summary>
    public JsonObject? State(string machineName, string name)
    {
        var arn = Runtime.Local.Definitions.LocalResourceNames.ExecutionArn(machineName, name);
        var execution = Store.FindByArn(arn);
        return execution is null || execution.Summary.ExecutionArn != arn
            ? null
            : new JsonObject { ["status"] = execution.Summary.Status, ["events"] = execution.Summary.EventCount };
    }

    /// <summary>The input of the state machine's last execution, indented (a default when there is none); null for an unknown machine.</summary>
    public string? LastInput(string machineName) =>
        machines.Find(machineName) is { } machine ? Pretty(Store.LastInput(machine.Arn) ?? DefaultInput(machine)) : null;

    /// <summary>The console path of an execution's page, its parts URL- and HTML-encoded.</summary>
    public static string ExecutionUrl(string machine, string name) => $"/executions/{Html.U(machine)}/{Html.U(name)}";

    private string ReportRow(string executionName)
    {
        var report = Path.Combine(directory.BucketRoot, "reports", executionName, "index.html");
        return File.Exists(report)
            ? $"<tr><td>Report</td><td><a id=\"report-link\" href=\"/reports/{Html.U(executionName)}/index.html\">reports/{Html.E(executionName)}/index.html</a></td></tr>"
            : string.Empty;
    }

    private IReadOnlyDictionary<string, string> InputSummaries(IReadOnlyList<ExecutionSummary> items) =>
        Store.InputsOf(items.Select(e => e.ExecutionArn).ToList());

    private static string EventDetails(AttributedEvent e)
    {
        if (e.Body is null || e.Body.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var field in new[] { "error", "cause" })
        {
            if (e.Field(field) is { } value)
            {
                text.Append(CultureInfo.InvariantCulture, $"<div class=\"error\"><b>{field}:</b> {Html.E(value)}</div>");
            }
        }

        foreach (var field in new[] { "input", "output", "parameters", "result" })
        {
            if (e.Field(field) is { } value)
            {
                text.Append(CultureInfo.InvariantCulture, $"<details><summary>{field} <code>{Html.E(Html.Shorten(value, 60))}</code></summary><pre>{Html.E(Pretty(value))}</pre></details>");
            }
        }

        var rest = new JsonObject();
        foreach (var (key, value) in e.Body)
        {
            if (key is not ("error" or "cause" or "input" or "output" or "parameters" or "result" or "inputDetails" or "outputDetails"))
            {
                rest[key] = value?.DeepClone();
            }
        }

        if (rest.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"<code class=\"muted\">{Html.E(Html.Shorten(rest.ToJsonString(), 160))}</code>");
        }

        return text.ToString();
    }

    private static string DefaultInput(StateMachineRecord machine) =>
        machine.BuiltIn ? new JsonObject { ["provider"] = PriceProviders.Sample, ["symbols"] = new JsonArray("AAPL", "MSFT") }.ToJsonString() : "{}";

    private static string MachineName(string arn) => arn[(arn.LastIndexOf(':') + 1)..];

    /// <summary>JSON indented for display; text that is not JSON comes back as it is, null as empty.</summary>
    public static string Pretty(string? json)
    {
        if (json is null)
        {
            return string.Empty;
        }

        try
        {
            return JsonNode.Parse(json)?.ToJsonString(Indented) ?? "null";
        }
        catch (JsonException)
        {
            return json;
        }
    }
}

/// <summary>The executions list's filters and page cursor, read from and written to the query string.</summary>
public sealed record ExecutionFilter(string? Status, string? Name, string? StateMachineArn, ExecutionCursor? After)
{
    /// <summary>The store query for a page of <paramref name="size"/> rows.</summary>
    public ExecutionQuery ToQuery(int size) => new(StateMachineArn, Status, Name, null, After, size);

    /// <summary>The query string (with its <c>?</c>, or empty) that shows these filters from <paramref name="after"/>; null starts at the first page.</summary>
    public string QueryString(ExecutionCursor? after)
    {
        var parts = new List<string>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add(key + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("status", Status);
        Add("name", Name);
        Add("machine", StateMachineArn);
        if (after is not null)
        {
            Add("after", after.StartDate + "|" + after.RowId.ToString(CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join("&", parts);
    }

    /// <summary>Reads <c>status</c>, <c>name</c>, <c>machine</c> and <c>after</c>; blank values and a malformed cursor are ignored.</summary>
    /// <param name="query">Looks up a query string parameter; null when absent.</param>
    public static ExecutionFilter Parse(Func<string, string?> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ExecutionCursor? after = null;
        if (query("after") is { } cursor && cursor.LastIndexOf('|') is var bar and > 0
            && long.TryParse(cursor[(bar + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var row))
        {
            after = new ExecutionCursor(cursor[..bar], row);
        }

        static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        return new ExecutionFilter(NonEmpty(query("status")), NonEmpty(query("name")), NonEmpty(query("machine")), after);
    }
}
