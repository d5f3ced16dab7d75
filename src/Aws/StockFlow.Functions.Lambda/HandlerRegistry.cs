using StockFlow.Functions.Hosting;

namespace StockFlow.Functions.Lambda;

/// <summary>
/// The function this bootstrap serves, by its <c>_HANDLER</c> name, from <see cref="FunctionHandlers"/> (the list the
/// local runtime builds too).
/// </summary>
public static class HandlerRegistry
{
    /// <summary>Every <c>_HANDLER</c> value this bootstrap serves.</summary>
    public static IEnumerable<string> Names => FunctionHandlers.Names;

    /// <summary>The handler for a <c>_HANDLER</c> value, or <see cref="UnknownHandlerException"/>.</summary>
    public static ILambdaHandler Create(string? name, HandlerServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return Require(name)(services);
    }

    /// <summary>The factory for a <c>_HANDLER</c> value, or <see cref="UnknownHandlerException"/>.</summary>
    public static Func<HandlerServices, ILambdaHandler> Require(string? name) =>
        FunctionHandlers.Find(name?.Trim())?.Create ?? throw new UnknownHandlerException(
            string.IsNullOrWhiteSpace(name)
                ? $"_HANDLER is not set. Set it to one of: {string.Join(", ", Names)}."
                : $"Unknown handler '{name}' in _HANDLER. Use one of: {string.Join(", ", Names)}.");
}
