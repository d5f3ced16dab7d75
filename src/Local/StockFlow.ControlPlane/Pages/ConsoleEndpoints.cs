using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StockFlow.ControlPlane.Api;
using StockFlow.ControlPlane.Executions;
using StockFlow.ControlPlane.StateMachines;
using StockFlow.Reporting.Charts;
using StockFlow.Runtime.Local.Definitions;

namespace StockFlow.ControlPlane.Pages;

/// <summary>
/// The console's routes. Pages are GETs; every state-changing request (start, rerun, redrive, stop,
/// query) is a POST that must carry the anti-forgery token of a page this server rendered.
/// </summary>
internal static class ConsoleEndpoints
{
    private const string ConsolePolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'";

    public static void Map(IEndpointRouteBuilder app, ExecutionPages executions, DataPages data, StateMachineRegistry machines, ExecutionLauncher launcher)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/", (HttpContext c, IAntiforgery af) => Page(c, executions.List(Filter(c), Token(c, af))));
        var stopping = app.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        app.MapGet("/ui/executions/rows", (HttpContext c) => Page(c, executions.Rows(Filter(c))));
        app.MapGet("/ui/executions/stream", (HttpContext c) =>
        {
            var filter = Filter(c);
            return LiveStream.StreamAsync(c, launcher.Changes, "rows", () => executions.Rows(filter), stopping);
        });
        app.MapGet("/executions/{machine}/{name}/stream", async (HttpContext c, string machine, string name) =>
        {
            if (executions.State(machine, name) is null)
            {
                c.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await LiveStream.StreamAsync(c, launcher.Changes, "state", () => executions.State(machine, name)?.ToJsonString(), stopping);
        });
        app.MapGet("/executions/{machine}/{name}", (HttpContext c, IAntiforgery af, string machine, string name) =>
            executions.Execution(machine, name, Token(c, af)) is { } page ? Page(c, page) : NotFound(c, $"No execution '{name}' of '{machine}'."));
        app.MapGet("/executions/{machine}/{name}/state", (string machine, string name) =>
            executions.State(machine, name) is { } state ? Results.Text(state.ToJsonString(), "application/json") : Results.NotFound());
        app.MapGet("/ui/machines/{name}/last-input", (string name) =>
            executions.LastInput(name) is { } input ? Results.Text(input, "application/json") : Results.NotFound());

        app.MapPost("/ui/start", (HttpContext c, IAntiforgery af) => Guarded(c, af, async form =>
        {
            var machine = machines.Find(form["stateMachine"].ToString()) ?? throw StepFunctionsApiException.StateMachineDoesNotExist(form["stateMachine"].ToString());
            var name = form["name"].ToString();
            var started = await launcher.StartAsync(machine, string.IsNullOrWhiteSpace(name) ? null : name.Trim(), form["input"].ToString(), c.RequestAborted);
            return ExecutionPages.ExecutionUrl(machine.Name, started.Name);
        }));
        app.MapPost("/executions/{machine}/{name}/rerun", (HttpContext c, IAntiforgery af, string machine, string name) => Guarded(c, af, async form =>
        {
            var previous = Existing(launcher, machine, name);
            var record = machines.Find(machine);
            var started = record is not null
                ? await launcher.StartAsync(record, null, form["input"].ToString(), c.RequestAborted)
                : throw StepFunctionsApiException.StateMachineDoesNotExist(previous.Summary.StateMachine);
            return ExecutionPages.ExecutionUrl(machine, started.Name);
        }));
        app.MapPost("/executions/{machine}/{name}/redrive", (HttpContext c, IAntiforgery af, string machine, string name) => Guarded(c, af, async _ =>
        {
            await launcher.RedriveAsync(Existing(launcher, machine, name), c.RequestAborted);
            return ExecutionPages.ExecutionUrl(machine, name);
        }));
        app.MapPost("/executions/{machine}/{name}/stop", (HttpContext c, IAntiforgery af, string machine, string name) => Guarded(c, af, _ =>
        {
            launcher.Stop(Existing(launcher, machine, name).Summary.ExecutionArn);
            return Task.FromResult(ExecutionPages.ExecutionUrl(machine, name));
        }));

        app.MapGet("/schedules", (HttpContext c) => Page(c, data.Schedules()));
        app.MapGet("/catalog", (HttpContext c) => Page(c, data.Catalog()));
        app.MapGet("/catalog/{table}", (HttpContext c, string table) => data.Table(table) is { } page ? Page(c, page) : NotFound(c, $"No table '{table}'."));
        app.MapGet("/state-machines", (HttpContext c) => Page(c, data.StateMachines()));
        app.MapGet("/query", async (HttpContext c, IAntiforgery af) => Page(c, await data.QueryAsync(null, Token(c, af), c.RequestAborted)));
        app.MapPost("/query", async (HttpContext c, IAntiforgery af) =>
        {
            if (!await af.IsRequestValidAsync(c))
            {
                return Forbidden(c);
            }

            var form = await c.Request.ReadFormAsync(c.RequestAborted);
            return Page(c, await data.QueryAsync(form["sql"].ToString(), Token(c, af), c.RequestAborted));
        });
        app.MapPost("/query.csv", async (HttpContext c, IAntiforgery af) =>
        {
            if (!await af.IsRequestValidAsync(c))
            {
                return Forbidden(c);
            }

            var form = await c.Request.ReadFormAsync(c.RequestAborted);
            var (csv, error) = await data.QueryCsvAsync(form["sql"].ToString(), c.RequestAborted);
            return csv is null
                ? ErrorPage(c, StatusCodes.Status400BadRequest, error!)
                : Results.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", "query.csv");
        });

        app.MapGet("/reports/{execution}/{**path}", (HttpContext c, string execution, string path) =>
        {
            if (data.ReportFile(execution, path) is not { } file)
            {
                return NotFound(c, "No such report file.");
            }

            // The report is a self-contained page with its own inline scripts (Plotly is inlined in it).
            c.Response.Headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'self'";
            return Results.File(file, ContentType(file));
        });
        app.MapGet("/assets/plotly.min.js", () => Results.Text(PlotlyJs.Script, "text/javascript"));
        app.MapGet("/assets/{name}", (string name) =>
        {
            using var stream = typeof(ConsoleEndpoints).Assembly.GetManifestResourceStream("assets/" + name);
            if (stream is null)
            {
                return Results.NotFound();
            }

            using var reader = new StreamReader(stream);
            return Results.Text(reader.ReadToEnd(), ContentType(name));
        });
    }

    /// <summary>Security headers on every console response.</summary>
    public static Task Headers(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!StepFunctionsEndpoint.IsApiRequest(context.Request))
        {
            context.Response.Headers.ContentSecurityPolicy = ConsolePolicy;
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.XFrameOptions = "DENY";
            context.Response.Headers["Referrer-Policy"] = "same-origin";
        }

        return next(context);
    }

    private static ExecutionFilter Filter(HttpContext c) => ExecutionFilter.Parse(k => c.Request.Query[k].ToString());

    private static string Token(HttpContext c, IAntiforgery af) => af.GetAndStoreTokens(c).RequestToken!;

    private static IResult Page(HttpContext c, string html)
    {
        c.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static IResult NotFound(HttpContext c, string message) => ErrorPage(c, StatusCodes.Status404NotFound, message);

    private static IResult Forbidden(HttpContext c) =>
        ErrorPage(c, StatusCodes.Status400BadRequest, "The form's anti-forgery token is missing or invalid: reload the page and try again.");

    private static IResult ErrorPage(HttpContext c, int status, string message)
    {
        c.Response.StatusCode = status;
        return Results.Content(
            Html.Layout("Error", string.Empty, $"<h1>{status.ToString(CultureInfo.InvariantCulture)}</h1><p class=\"error\" id=\"error-message\">{Html.E(message)}</p><p><a href=\"/\">Executions</a></p>"),
            "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>Checks the anti-forgery token, runs the action and redirects (303) to the page it names.</summary>
    private static async Task<IResult> Guarded(HttpContext c, IAntiforgery af, Func<IFormCollection, Task<string>> action)
    {
        if (!await af.IsRequestValidAsync(c))
        {
            return Forbidden(c);
        }

        var form = await c.Request.ReadFormAsync(c.RequestAborted);
        try
        {
            return Results.Redirect(await action(form), permanent: false, preserveMethod: false);
        }
        catch (StepFunctionsApiException ex)
        {
            return ErrorPage(c, StatusCodes.Status400BadRequest, ex.Message);
        }
    }

    private static Runtime.Local.Executions.ExecutionDetails Existing(ExecutionLauncher launcher, string machine, string name)
    {
        var arn = LocalResourceNames.ExecutionArn(machine, name);
        return launcher.Store.FindByArn(arn) ?? throw StepFunctionsApiException.ExecutionDoesNotExist(arn);
    }

    private static string ContentType(string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript",
        ".css" => "text/css",
        ".json" => "application/json",
        ".csv" => "text/csv",
        ".png" => "image/png",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
