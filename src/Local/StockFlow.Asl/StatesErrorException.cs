namespace StockFlow.Asl;

/// <summary>
/// A named ASL error (<c>States.Runtime</c>, <c>States.TaskFailed</c>, a Lambda's error type, ...).
/// Anything that fails a state throws this; Retry and Catch match on <see cref="Error"/>.
/// </summary>
public sealed class StatesErrorException : Exception
{
    public StatesErrorException(string error, string cause, Exception? inner = null)
        : base($"{error}: {cause}", inner)
    {
        Error = error;
        Cause = cause;
    }

    public StatesErrorException() : this(StatesErrors.Runtime, string.Empty) { }

    public StatesErrorException(string message) : this(StatesErrors.Runtime, message) { }

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
    public const string All = "States.ALL";
    public const string DataLimitExceeded = "States.DataLimitExceeded";
    public const string ExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold";
    public const string HeartbeatTimeout = "States.HeartbeatTimeout";
    public const string IntrinsicFailure = "States.IntrinsicFailure";
    public const string ItemReaderFailed = "States.ItemReaderFailed";
    public const string NoChoiceMatched = "States.NoChoiceMatched";
    public const string ParameterPathFailure = "States.ParameterPathFailure";
    public const string Permissions = "States.Permissions";
    public const string ResultPathMatchFailure = "States.ResultPathMatchFailure";
    public const string ResultWriterFailed = "States.ResultWriterFailed";
    public const string Runtime = "States.Runtime";
    public const string TaskFailed = "States.TaskFailed";
    public const string Timeout = "States.Timeout";
    public const string BranchFailed = "States.BranchFailed";
    public const string QueryEvaluationError = "States.QueryEvaluationError";
}
