namespace StockFlow.ControlPlane.Api;

/// <summary>
/// An error the Step Functions API answers with: <see cref="ErrorCode"/> is AWS's exception name
/// (ExecutionDoesNotExist, InvalidArn, ...), sent as <c>__type</c> so SDKs map it to their typed exception.
/// </summary>
public sealed class StepFunctionsApiException : Exception
{
    /// <summary>An <c>InternalFailure</c> (HTTP 500).</summary>
    public StepFunctionsApiException()
        : this("InternalFailure", "Internal failure.", 500)
    {
    }

    /// <summary>A <c>ValidationException</c> (HTTP 400) with <paramref name="message"/>.</summary>
    public StepFunctionsApiException(string message)
        : this("ValidationException", message)
    {
    }

    /// <summary>A <c>ValidationException</c> (HTTP 400) caused by <paramref name="innerException"/>.</summary>
    public StepFunctionsApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = "ValidationException";
        StatusCode = 400;
    }

    /// <summary>An error with AWS's name for it.</summary>
    /// <param name="errorCode">AWS's exception name, e.g. <c>ExecutionAlreadyExists</c>.</param>
    /// <param name="message">The message AWS would give.</param>
    /// <param name="statusCode">The HTTP status; 400 (a client error) by default.</param>
    public StepFunctionsApiException(string errorCode, string message, int statusCode = 400)
        : base(message)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>AWS's exception name, sent as <c>__type</c>.</summary>
    public string ErrorCode { get; } = "ValidationException";

    /// <summary>The HTTP status of the answer: 400 for a client error, 500 for a failure of the server.</summary>
    public int StatusCode { get; } = 400;

    /// <summary>A request field is missing or out of range (<c>ValidationException</c>).</summary>
    public static StepFunctionsApiException Validation(string message) => new("ValidationException", message);

    /// <summary>No execution has the ARN <paramref name="arn"/>.</summary>
    public static StepFunctionsApiException ExecutionDoesNotExist(string arn) => new("ExecutionDoesNotExist", $"Execution Does Not Exist: '{arn}'");

    /// <summary>No state machine has the ARN <paramref name="arn"/>.</summary>
    public static StepFunctionsApiException StateMachineDoesNotExist(string arn) => new("StateMachineDoesNotExist", $"State Machine Does Not Exist: '{arn}'");

    /// <summary><paramref name="arn"/> is not an ARN of the kind the operation takes.</summary>
    public static StepFunctionsApiException InvalidArn(string arn) => new("InvalidArn", $"Invalid Arn: '{arn}'");
}
