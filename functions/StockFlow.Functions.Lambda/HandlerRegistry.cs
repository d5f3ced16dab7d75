using StockFlow.Functions.Hosting;
using StockFlow.Functions.Ingest;
using StockFlow.Functions.Locking;
using StockFlow.Functions.Plan;
using StockFlow.Functions.Report;
using StockFlow.Functions.Summarize;
using StockFlow.Providers;

namespace StockFlow.Functions.Lambda;

/// <summary>
/// The functions this bootstrap can serve, by the <c>_HANDLER</c> name. One list: a new
/// function is one line here (and one <c>aws:lambda:Function</c> in infra/).
/// Factories, so a sandbox builds only the handler it serves.
/// </summary>
public static class HandlerRegistry
{
    public static IReadOnlyList<(string Name, Func<HandlerServices, ILambdaHandler> Create)> Handlers { get; } =
    [
        ("plan", s => new PlanHandler(s.Store, s.Clock)),
        ("ingest", s => new IngestHandler(s.Store, s.Provider, s.Clock)),
        ("summarize", s => new SummarizeHandler(s.Store, s.Clock)),
        ("report", s => new ReportHandler(s.Store, s.Clock)),
        ("lock", s => new LakeLockHandler(s.Store, s.Clock)),
    ];

    public static IEnumerable<string> Names => Handlers.Select(h => h.Name);

    /// <summary>The handler for a <c>_HANDLER</c> value, or <see cref="UnknownHandlerException"/>.</summary>
    public static ILambdaHandler Create(string? name, HandlerServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return Require(name)(services);
    }

    /// <summary>The factory for a <c>_HANDLER</c> value, or <see cref="UnknownHandlerException"/>.</summary>
    public static Func<HandlerServices, ILambdaHandler> Require(string? name)
    {
        foreach (var (handlerName, create) in Handlers)
        {
            if (string.Equals(handlerName, name?.Trim(), StringComparison.Ordinal))
            {
                return create;
            }
        }

        throw new UnknownHandlerException(
            string.IsNullOrWhiteSpace(name)
                ? $"_HANDLER is not set. Set it to one of: {string.Join(", ", Names)}."
                : $"Unknown handler '{name}' in _HANDLER. Use one of: {string.Join(", ", Names)}.");
    }
}

/// <summary>What the handlers are built from in a Lambda sandbox.</summary>
public sealed class HandlerServices(Storage.IObjectStore store, string lakeBucket, ProviderOptions providerOptions, TimeProvider clock)
{
    public Storage.IObjectStore Store { get; } = store;

    public TimeProvider Clock { get; } = clock;

    /// <summary>A provider for one ingest call, with that call's share of the request budget; the csv provider reads this lake's landing/.</summary>
    public ProviderLease Provider(string name, double? requestsPerSecond) =>
        PriceProviders.Create(name, providerOptions, Store, lakeBucket, requestsPerSecond);
}
