using StockFlow.Functions.Hosting;
using StockFlow.Functions.Ingest;
using StockFlow.Functions.Locking;
using StockFlow.Functions.Plan;
using StockFlow.Functions.Report;
using StockFlow.Functions.Summarize;
using StockFlow.Storage;

namespace StockFlow.Functions;

/// <summary>What every handler is built from, on AWS (the Lambda bootstrap) and locally (the local runtime).</summary>
/// <param name="Store">The lake.</param>
/// <param name="Clock">The clock every handler reads (a fake one in tests).</param>
/// <param name="Providers">Creates the price provider of one ingest call.</param>
/// <param name="Plan">The plan's defaults (configuration section <c>Pipeline</c>); null for the built-in ones.</param>
public sealed record HandlerServices(IObjectStore Store, TimeProvider Clock, PriceProviderFactory Providers, PlanDefaults? Plan = null);

/// <summary>One function: its name and how its handler is built.</summary>
/// <param name="Name">The handler's <see cref="ILambdaHandler.Name"/>.</param>
/// <param name="Create">Builds the handler (a factory, so a Lambda sandbox builds only the handler it serves).</param>
public sealed record FunctionHandler(string Name, Func<HandlerServices, ILambdaHandler> Create);

/// <summary>
/// The one list of the pipeline's functions. The Lambda bootstrap serves one of them by its <c>_HANDLER</c> name; the
/// local runtime's <c>lambda:invoke</c> binding builds them all. A new function is one line here (and one
/// <c>aws:lambda:Function</c> in infra/).
/// </summary>
public static class FunctionHandlers
{
    /// <summary>Every function, in the order the pipeline calls them.</summary>
    public static IReadOnlyList<FunctionHandler> All { get; } =
    [
        new(PlanHandler.FunctionName, s => new PlanHandler(s.Store, s.Clock, s.Plan)),
        new(IngestHandler.FunctionName, s => new IngestHandler(s.Store, s.Providers, s.Clock)),
        new(SummarizeHandler.FunctionName, s => new SummarizeHandler(s.Store, s.Clock)),
        new(ReportHandler.FunctionName, s => new ReportHandler(s.Store, s.Clock)),
        new(LakeLockHandler.FunctionName, s => new LakeLockHandler(s.Store, s.Clock)),
    ];

    /// <summary>Every function's name.</summary>
    public static IEnumerable<string> Names => All.Select(h => h.Name);

    /// <summary>The function named <paramref name="name"/> (exactly), or null.</summary>
    public static FunctionHandler? Find(string? name) => All.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.Ordinal));

    /// <summary>Every function's handler over the same services (the local runtime's in-process functions).</summary>
    public static IReadOnlyList<ILambdaHandler> CreateAll(HandlerServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return All.Select(h => h.Create(services)).ToList();
    }
}
