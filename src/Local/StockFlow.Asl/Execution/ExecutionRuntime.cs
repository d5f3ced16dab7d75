using System.Globalization;
using System.Text.Json.Nodes;
using StockFlow.Asl.History;
using StockFlow.Asl.Model;

namespace StockFlow.Asl.Execution;

/// <summary>What every state of one execution shares: options, identity for the context object, cancellation.</summary>
internal sealed class ExecutionRuntime
{
    private readonly Lazy<JsonNode?> input;

    /// <param name="options">The execution's options (identity, clock, bindings, limits).</param>
    /// <param name="inputJson">The execution input as recorded; parsed only if a state reads $$.Execution.Input.</param>
    /// <param name="startTime">When the execution started ($$.Execution.StartTime); a redrive keeps the first start.</param>
    /// <param name="redriveCount">$$.Execution.RedriveCount: 0 for a first run.</param>
    /// <param name="token">Cancelled when the execution is aborted or times out.</param>
    public ExecutionRuntime(ExecutionOptions options, string inputJson, DateTimeOffset startTime, int redriveCount, CancellationToken token)
        : this(options, new Lazy<JsonNode?>(() => JsonNode.Parse(inputJson)), FormatTime(startTime), redriveCount, token)
    {
    }

    private ExecutionRuntime(ExecutionOptions options, Lazy<JsonNode?> input, string startTime, int redriveCount, CancellationToken token)
    {
        Options = options;
        this.input = input;
        StartTime = startTime;
        RedriveCount = redriveCount;
        Token = token;
        Random = options.Random ?? Random.Shared;
        ExecutionArn = options.ResolvedExecutionArn;
        ExecutionName = options.ExecutionName;
        StateMachineArn = options.ResolvedStateMachineArn;
        StateMachineName = options.StateMachineName;
    }

    public ExecutionOptions Options { get; }

    /// <summary>The pristine execution input (never handed out: callers clone it).</summary>
    public JsonNode? Input => input.Value;

    public string StartTime { get; }

    public int RedriveCount { get; }

    /// <summary>When the execution was last redriven ($$.Execution.RedriveTime, only present after a redrive).</summary>
    public string? RedriveTime { get; init; }

    public CancellationToken Token { get; }

    public Random Random { get; }

    public string ExecutionArn { get; private init; }

    public string ExecutionName { get; private init; }

    public string StateMachineArn { get; private init; }

    public string StateMachineName { get; private init; }

    /// <summary>TestState: report RETRIABLE instead of waiting and retrying.</summary>
    public bool StopAtRetry { get; init; }

    /// <summary>The same execution with another token: Map iterations and branches get one their siblings can cancel.</summary>
    public ExecutionRuntime WithToken(CancellationToken token) =>
        new(Options, input, StartTime, RedriveCount, token)
        {
            StopAtRetry = StopAtRetry,
            RedriveTime = RedriveTime,
            ExecutionArn = ExecutionArn,
            ExecutionName = ExecutionName,
            StateMachineArn = StateMachineArn,
            StateMachineName = StateMachineName,
        };

    /// <summary>
    /// A Distributed Map's child workflow execution: its own execution (id, name, input, start time) of the
    /// state machine AWS names after the parent and the Map's label; the context object says so.
    /// </summary>
    public ExecutionRuntime ForChildExecution(string executionArn, string name, string inputJson, DateTimeOffset start, string label) =>
        new(Options, new Lazy<JsonNode?>(() => JsonNode.Parse(inputJson)), FormatTime(start), 0, Token)
        {
            StopAtRetry = StopAtRetry,
            ExecutionArn = executionArn,
            ExecutionName = name,
            StateMachineArn = $"{StateMachineArn}/{label}",
            StateMachineName = $"{StateMachineName}/{label}",
        };

    public static string FormatTime(DateTimeOffset t) =>
        t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public string Now() => FormatTime(Options.TimeProvider.GetUtcNow());

    /// <summary>
    /// The context object ($$) for one state, with AWS's fields and order: Execution, StateMachine, State (RetryCount
    /// only for the states that retry: Task, Map, Parallel), then Task and Map when the caller adds them.
    /// <paramref name="withInput"/> false leaves out Execution.Input: a Task state that never reads the context still
    /// hands one to its binding, and copying a large execution input for every item of a Map made the Map quadratic.
    /// </summary>
    public JsonObject Context(StateDefinition state, DateTimeOffset enteredTime, int retryCount, JsonObject? mapItem, bool withInput = true)
    {
        var execution = new JsonObject
        {
            ["Id"] = ExecutionArn,
            ["Input"] = withInput ? Input?.DeepClone() : null,
            ["StartTime"] = StartTime,
            ["Name"] = ExecutionName,
            ["RoleArn"] = Options.RoleArn ?? $"arn:aws:iam::{Options.AccountId}:role/StepFunctionsRole",
            ["RedriveCount"] = RedriveCount,
        };
        if (RedriveTime is not null) execution["RedriveTime"] = RedriveTime;
        var stateNode = new JsonObject { ["Name"] = state.Name, ["EnteredTime"] = FormatTime(enteredTime) };
        if (state is ResultStateDefinition) stateNode["RetryCount"] = retryCount;
        var ctx = new JsonObject
        {
            ["Execution"] = execution,
            ["StateMachine"] = new JsonObject { ["Id"] = StateMachineArn, ["Name"] = StateMachineName },
            ["State"] = stateNode,
        };
        if (mapItem is not null) ctx["Map"] = new JsonObject { ["Item"] = mapItem };
        return ctx;
    }
}

/// <summary>One thread of execution (the top level, a Parallel branch or a Map iteration): its history chain and variables.</summary>
internal sealed class Frame(HistoryRecorder history, long lastEventId, VariableScope variables)
{
    public HistoryRecorder History { get; } = history;

    public long LastEventId { get; set; } = lastEventId;

    public VariableScope Variables { get; } = variables;

    /// <summary>TestState collects the intermediate values here.</summary>
    public Inspection? Inspection { get; init; }

    /// <summary>TestState: the catcher that handled the last error in this frame, if any.</summary>
    public Catcher? CaughtBy { get; set; }

    public StatesErrorException? CaughtError { get; set; }

    public long Emit(string type, Func<JsonObject> details)
    {
        var id = History.Emit(LastEventId, type, details);
        LastEventId = id;
        return id;
    }
}

/// <summary>The intermediate payloads of one state, as TestState's inspectionData reports them.</summary>
internal sealed class Inspection
{
    public string? Input { get; set; }

    public string? AfterInputPath { get; set; }

    public string? AfterParameters { get; set; }

    public string? Result { get; set; }

    public string? AfterResultSelector { get; set; }

    public string? AfterResultPath { get; set; }
}

internal readonly record struct StepResult(JsonNode? Output, string? Next);

/// <summary>TestState: the state failed with an error a Retrier would retry.</summary>
internal sealed class RetriableSignal(StatesErrorException error) : Exception(error.Message, error)
{
    public StatesErrorException Error { get; } = error;
}
