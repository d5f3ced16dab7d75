using System.Text.Json.Nodes;

namespace StockFlow.Asl;

/// <summary>
/// Binds a Task state's <c>Resource</c> to something that runs it (a Lambda handler, a local
/// stand-in, a mock). Failures that Retry/Catch should see are thrown as <see cref="StatesErrorException"/>.
/// </summary>
public interface ITaskInvoker
{
    /// <summary>
    /// Runs the task and returns its result (the raw result, before ResultSelector). A <see cref="StatesErrorException"/>
    /// keeps its error name; any other exception becomes <c>States.TaskFailed</c>. The token is cancelled when the
    /// state times out or the execution stops.
    /// </summary>
    Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>One call of a Task state: its name, resource ARN, evaluated Parameters and the context object.</summary>
/// <param name="StateName">The Task state's name.</param>
/// <param name="Resource">The state's <c>Resource</c> ARN, which says what to run.</param>
/// <param name="Parameters">What the task receives: the evaluated Parameters (JSONPath) or Arguments (JSONata), else the effective input.</param>
/// <param name="Context">The context object (<c>$$</c>), with <c>Task.Token</c> for a <c>.waitForTaskToken</c> resource.</param>
public sealed record TaskInvocation(string StateName, string Resource, JsonNode? Parameters, JsonNode Context);
