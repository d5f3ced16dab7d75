namespace StockFlow.Asl;

/// <summary>
/// A named ASL error (<c>States.Runtime</c>, <c>States.TaskFailed</c>, a Lambda's error type, ...).
/// Anything that fails a state throws this; Retry and Catch match on <see cref="Error"/>.
/// </summary>
public sealed class StatesErrorException : Exception
{
    /// <summary>An error named <paramref name="error"/> (a <see cref="StatesErrors"/> name or a task's own error type) with its cause.</summary>
    /// <param name="error">The name Retry/Catch <c>ErrorEquals</c> match against.</param>
    /// <param name="cause">The human-readable cause; "" when there is none.</param>
    /// <param name="inner">The exception that caused it, if any (a <see cref="TimeoutException"/> marks a task time-out).</param>
    public StatesErrorException(string error, string cause, Exception? inner = null)
        : base($"{error}: {cause}", inner)
    {
        Error = error;
        Cause = cause;
    }

    /// <summary>A <c>States.Runtime</c> error without a cause.</summary>
    public StatesErrorException() : this(StatesErrors.Runtime, string.Empty) { }

    /// <summary>A <c>States.Runtime</c> error whose cause is <paramref name="message"/>.</summary>
    public StatesErrorException(string message) : this(StatesErrors.Runtime, message) { }

    /// <summary>A <c>States.Runtime</c> error whose cause is <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public StatesErrorException(string message, Exception innerException)
        : this(StatesErrors.Runtime, message, innerException) { }

    /// <summary>The error name Retry/Catch <c>ErrorEquals</c> compares against.</summary>
    public string Error { get; }

    /// <summary>The human-readable cause, as AWS puts it in the <c>Cause</c> field.</summary>
    public string Cause { get; }

    /// <summary>
    /// States.QueryEvaluationError: the field whose JSONata expression failed ("Output/v", "Items", ...), the
    /// <c>location</c> of the EvaluationFailed event AWS records for it; null for every other error.
    /// </summary>
    public string? Location { get; init; }

    /// <summary>The cause as the EvaluationFailed event gives it: without the "An error occurred while executing the state" prefix.</summary>
    internal string? EvaluationCause { get; init; }

    /// <summary>The EvaluationFailed event was recorded (by the state whose expression failed); enclosing states do not repeat it.</summary>
    internal bool EvaluationRecorded { get; set; }
}

/// <summary>The predefined error names of the Amazon States Language.</summary>
public static class StatesErrors
{
    /// <summary>Matches every error in <c>ErrorEquals</c> except <c>States.Runtime</c> and <c>States.DataLimitExceeded</c> (see <see cref="Model.ErrorMatching"/>).</summary>
    public const string All = "States.ALL";
    /// <summary>A state's output exceeded the 256 KiB payload quota; <c>States.ALL</c> does not catch it (only naming it does).</summary>
    public const string DataLimitExceeded = "States.DataLimitExceeded";
    /// <summary>A Distributed Map Run had more failed items than its ToleratedFailureCount/Percentage allow.</summary>
    public const string ExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold";
    /// <summary>A Task ran longer than its HeartbeatSeconds without a heartbeat.</summary>
    public const string HeartbeatTimeout = "States.HeartbeatTimeout";
    /// <summary>A malformed intrinsic function call (which AWS refuses when the definition is created); bad arguments are <c>States.Runtime</c>.</summary>
    public const string IntrinsicFailure = "States.IntrinsicFailure";
    /// <summary>A Distributed Map's ItemReader could not read its items (missing object, bad JSON or CSV, unsupported resource).</summary>
    public const string ItemReaderFailed = "States.ItemReaderFailed";
    /// <summary>No Choice rule matched and the state has no <c>Default</c>.</summary>
    public const string NoChoiceMatched = "States.NoChoiceMatched";
    /// <summary>A path in a payload template found nothing in its input (AWS's name; here such paths fail with <c>States.Runtime</c>, as AWS records them).</summary>
    public const string ParameterPathFailure = "States.ParameterPathFailure";
    /// <summary>The execution's role lacked a permission a task needed (AWS only; nothing here raises it).</summary>
    public const string Permissions = "States.Permissions";
    /// <summary>ResultPath could not place the result in the input (e.g. the input at that path is not an object).</summary>
    public const string ResultPathMatchFailure = "States.ResultPathMatchFailure";
    /// <summary>A Distributed Map's ResultWriter could not write the results.</summary>
    public const string ResultWriterFailed = "States.ResultWriterFailed";
    /// <summary>An error in the execution itself (a path that matches nothing, a bad value); never retried or caught.</summary>
    public const string Runtime = "States.Runtime";
    /// <summary>A task failed with an exception that has no error name of its own.</summary>
    public const string TaskFailed = "States.TaskFailed";
    /// <summary>A Task ran longer than its TimeoutSeconds, or the execution longer than the machine's.</summary>
    public const string Timeout = "States.Timeout";
    /// <summary>A Parallel branch failed (AWS's name; nothing here raises it: a branch's own error propagates).</summary>
    public const string BranchFailed = "States.BranchFailed";
    /// <summary>A JSONata expression failed or gave a value of the wrong type (JSONata states only).</summary>
    public const string QueryEvaluationError = "States.QueryEvaluationError";
}
