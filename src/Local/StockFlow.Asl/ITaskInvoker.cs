using System.Text.Json.Nodes;

namespace StockFlow.Asl;

/// <summary>
/// Binds a Task state's <c>Resource</c> to something that runs it (a Lambda handler, a local
/// stand-in, a mock). Failures that Retry/Catch should see are thrown as <see cref="StatesErrorException"/>.
/// </summary>
public interface ITaskInvoker
{
    Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>One call of a Task state: its name, resource ARN, evaluated Parameters and the context object.</summary>
public sealed record TaskInvocation(string StateName, string Resource, JsonNode? Parameters, JsonNode Context);
