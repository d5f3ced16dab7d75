using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StockFlow.ControlPlane.Api;
using StockFlow.ControlPlane.Executions;
using StockFlow.ControlPlane.Pages;
using StockFlow.ControlPlane.Scheduling;
using StockFlow.ControlPlane.Security;
using StockFlow.ControlPlane.StateMachines;
using StockFlow.Runtime.Local;

namespace StockFlow.ControlPlane.Hosting;

/// <summary>
/// The <c>stockflow serve</c> server: one Kestrel listener with the Step Functions API on <c>POST /</c>
/// and the console's pages beside it, over one data directory's pipeline and execution store.
/// </summary>
public sealed class ControlPlaneServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LocalPipeline _pipeline;
    private readonly LandingWatcher? _watcher;

    private ControlPlaneServer(WebApplication app, LocalPipeline pipeline, ExecutionLauncher launcher, StateMachineRegistry machines, Scheduler scheduler, LandingWatcher? watcher, Uri address)
    {
        _app = app;
        _pipeline = pipeline;
        _watcher = watcher;
        Scheduler = scheduler;
        Launcher = launcher;
        Machines = machines;
        Address = address;
    }

    /// <summary>Where the server listens, e.g. http://127.0.0.1:8420/.</summary>
    public Uri Address { get; }

    /// <summary>Starts, stops and redrives the server's executions.</summary>
    public ExecutionLauncher Launcher { get; }

    /// <summary>The state machines the API and the console know.</summary>
    public StateMachineRegistry Machines { get; }

    /// <summary>The configured schedules, firing while the server runs.</summary>
    public Scheduler Scheduler { get; }

    /// <summary>
    /// Opens the data directory, starts listening and starts the schedules (and the landing watcher when asked);
    /// returns once requests are answered.
    /// </summary>
    /// <param name="options">Address, port, access token, data directory and configuration file.</param>
    /// <param name="logging">Where the server logs; null logs nothing.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ControlPlaneConfigurationException">The options or the configuration file's schedules are not valid.</exception>
    public static async Task<ControlPlaneServer> StartAsync(ControlPlaneOptions options, ILoggerProvider? logging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var directory = new DataDirectory(options.DataDir).EnsureCreated();
        var pipeline = LocalPipeline.Open(directory, new LocalPipelineOptions
        {
            WaitScale = options.WaitScale,
            Clock = options.Clock,
            ProviderOptions = StockFlowConfiguration.LoadProviderOptions(options.ConfigPath),
        });
        try
        {
            var machines = new StateMachineRegistry(directory, LocalPipeline.ShippedDefinition(), options.Clock);
            var launcher = new ExecutionLauncher(pipeline, directory, options.WaitScale, options.Clock);
            var api = new StepFunctionsApi(machines, launcher, new MapRunApi(pipeline.Store));
            var scheduler = new Scheduler(
                ScheduleDefinition.Load(StockFlowConfiguration.Locate(options.ConfigPath)), machines, launcher, directory.Root, options.Clock);
            var watcher = options.WatchLanding ? new LandingWatcher(directory, machines, launcher, TimeSpan.FromSeconds(2)) : null;

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(ControlPlaneServer).Assembly.GetName().Name });
            builder.Logging.ClearProviders();
            if (logging is not null)
            {
                builder.Logging.AddProvider(logging);
            }

            builder.WebHost.UseKestrel(k => k.Listen(options.Address, options.Port));
            builder.Services.AddAntiforgery(a =>
            {
                a.HeaderName = "X-CSRF-TOKEN";
                a.Cookie.Name = "stockflow-csrf";
            });
            var app = builder.Build();
            var guard = new AccessGuard(options.AccessToken, options.Address);
            app.Use(guard.InvokeAsync);
            app.Use(ConsoleEndpoints.Headers);
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("StockFlow.ControlPlane");
            app.MapPost("/", (HttpContext context) => StepFunctionsEndpoint.HandleAsync(context, api, logger))
                .WithMetadata(new ApiEndpointMarker());
            ConsoleEndpoints.Map(app, new ExecutionPages(machines, launcher, directory), new DataPages(directory, scheduler, watcher, machines), machines, launcher);

            await app.StartAsync(cancellationToken);
            await scheduler.StartAsync(cancellationToken);
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new ControlPlaneServer(app, pipeline, launcher, machines, scheduler, watcher, new Uri(bound.EndsWith('/') ? bound : bound + "/"));
        }
        catch
        {
            pipeline.Dispose();
            throw;
        }
    }

    /// <summary>Completes when the server is asked to stop (Ctrl+C, SIGTERM) or <paramref name="cancellationToken"/> fires.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the schedules and the listener, aborts running executions (waiting up to 10 seconds) and closes the data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        _watcher?.Dispose();
        await Scheduler.DisposeAsync();
        await _app.StopAsync();
        await Launcher.DisposeAsync();
        await _app.DisposeAsync();
        _pipeline.Dispose();
    }

    /// <summary>Marks the API endpoint (no antiforgery: it is reached with SigV4-shaped requests, not from pages).</summary>
    private sealed class ApiEndpointMarker;
}
