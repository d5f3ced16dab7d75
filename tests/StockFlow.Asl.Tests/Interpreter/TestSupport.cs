using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Asl.Execution;
using StockFlow.Asl.History;
using StockFlow.Asl.Model;

namespace StockFlow.Asl.Tests.Interpreter;

/// <summary>A task binding made of a function, for tests.</summary>
internal sealed class DelegateInvoker(Func<TaskInvocation, CancellationToken, Task<JsonNode?>> call) : ITaskInvoker
{
    public ConcurrentQueue<TaskInvocation> Calls { get; } = new();

    public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        Calls.Enqueue(invocation);
        return call(invocation, cancellationToken);
    }

    public static DelegateInvoker Returning(Func<TaskInvocation, JsonNode?> f) => new((i, _) => Task.FromResult(f(i)));

    /// <summary>Throws the listed errors on the first calls, then answers with <paramref name="result"/>.</summary>
    public static DelegateInvoker FailingThen(JsonNode? result, params string[] errors)
    {
        var n = 0;
        return new DelegateInvoker((_, _) =>
        {
            var k = Interlocked.Increment(ref n) - 1;
            if (k < errors.Length) throw new StatesErrorException(errors[k], $"attempt {k + 1} failed");
            return Task.FromResult(result?.DeepClone());
        });
    }
}

internal sealed class ListSink : IExecutionEventSink
{
    private readonly List<HistoryEvent> events = [];

    public IReadOnlyList<HistoryEvent> Events
    {
        get
        {
            lock (events) return events.ToArray();
        }
    }

    public void OnEvent(HistoryEvent historyEvent)
    {
        lock (events) events.Add(historyEvent);
    }
}

internal static class Asl
{
    public static JsonNode? J(string json) => JsonNode.Parse(json);

    public static Task<ExecutionResult> Run(string definition, string input = "{}", ITaskInvoker? invoker = null, ExecutionOptions? options = null, CancellationToken ct = default)
    {
        var o = options ?? new ExecutionOptions();
        o = new ExecutionOptions
        {
            TaskInvoker = invoker ?? o.TaskInvoker,
            TimeProvider = o.TimeProvider,
            WaitScale = options is null ? 0 : o.WaitScale,
            ExecutionName = o.ExecutionName,
            StateMachineName = o.StateMachineName,
            EventSink = o.EventSink,
            RedriveFrom = o.RedriveFrom,
            MaxConcurrency = o.MaxConcurrency,
            MaxHistoryEvents = o.MaxHistoryEvents,
            ItemStore = o.ItemStore,
            MapRunStore = o.MapRunStore,
            Random = o.Random,
        };
        return AslExecutor.RunAsync(StateMachineDefinition.Parse(definition), J(input), o, ct);
    }

    /// <summary>A one-state machine around <paramref name="stateJson"/> (which must say End: true or be terminal).</summary>
    public static string Single(string stateJson) => """{"StartAt":"S","States":{"S":""" + stateJson + "}}";

    public static string Types(ExecutionResult r) => string.Join(",", r.Events.Select(e => e.Type));

    public static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(J(expected), actual), $"expected {expected} but got {actual?.ToJsonString() ?? "null"}");

    public static void AssertSucceeded(ExecutionResult r) =>
        Assert.True(r.Status == ExecutionStatus.Succeeded, $"{r.StatusName} {r.Error}: {r.Cause}");
}
