using StockFlow.Functions;
using StockFlow.Functions.Lambda;
using StockFlow.Providers;
using StockFlow.Storage;

// Lambda's custom runtime entry point (provided.al2023 runs ./bootstrap).
if (args is ["--list-handlers"])
{
    // For `stockflow package`: one zip per function this bootstrap serves.
    foreach (var name in HandlerRegistry.Names)
    {
        Console.WriteLine(name);
    }

    return 0;
}

using var stdout = Console.OpenStandardOutput();
var log = new JsonLog(stdout);
LambdaEnvironment environment;
try
{
    environment = LambdaEnvironment.Read(Environment.GetEnvironmentVariable);
}
catch (LambdaConfigurationException ex)
{
    log.Error(ex.Message, fields: new Dictionary<string, string?> { ["errorType"] = nameof(LambdaConfigurationException) });
    return 1;
}

var runtime = new LambdaRuntime(environment, CreateHandler, log);
return await runtime.RunAsync(CancellationToken.None);

static StockFlow.Functions.Hosting.ILambdaHandler CreateHandler(LambdaEnvironment environment)
{
    // Name first: an unknown handler is reported before any client is built.
    HandlerRegistry.Require(environment.Handler);
    var store = new DeferredObjectStore(() => new S3ObjectStore(environment.S3));
    // One per sandbox, for its lifetime. The csv provider reads this lake's landing/; a network provider gets the
    // ingest call's share of the request budget.
    // Settings read at start-up, so a bad one is the sandbox's init error.
    var options = ProviderOptions.Load();
    var providers = new PriceProviderSource(() => options, store, environment.RequireLakeBucket());
    var services = new HandlerServices(store, TimeProvider.System, providers.Lease);
    return HandlerRegistry.Create(environment.Handler, services);
}
