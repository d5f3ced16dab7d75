using StockFlow.Storage;

namespace StockFlow.Functions.Tests.Handlers;

public sealed class FunctionHandlersTests
{
    [Fact]
    public void Every_function_is_listed_once_and_its_handler_answers_to_its_name()
    {
        var services = new HandlerServices(new FileSystemObjectStore(Path.GetTempPath()), TimeProvider.System, (_, _) => throw new InvalidOperationException("no provider is created"));

        var handlers = FunctionHandlers.CreateAll(services);

        Assert.Equal(["plan", "ingest", "summarize", "report", "lock"], FunctionHandlers.Names);
        Assert.Equal(FunctionHandlers.Names, handlers.Select(h => h.Name));
    }
}
