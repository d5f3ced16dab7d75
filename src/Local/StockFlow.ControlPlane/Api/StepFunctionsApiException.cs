namespace StockFlow.ControlPlane.Api;

/// <summary>
/// An error the Step Functions API answers with: <see cref="ErrorCode"/> is AWS's exception name
/// (ExecutionDoesNotExist, InvalidArn, ...), sent as <c>__type</c> so SDKs map it to their typed exception.
/// </summary>
public sealed class StepFunctionsApiException : Exception
{
    public StepFunctionsApiException()
        : this("InternalFailure", "Internal failure.", 500)
    {
    }

    public StepFunctionsApiException(string message)
        : this("ValidationException", message)
    {
    }

    public StepFunctionsApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = "ValidationException";
        StatusCode = 400;
    }

    public StepFunctionsApiException(string errorCode, string message, int statusCode = 400)
        : base(message)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    public string ErrorCode { get; } = "ValidationException";

    public int StatusCode { get; } = 400;

    public static StepFunctionsApiException Validation(string message) => new("ValidationException", message);

    public static StepFunctionsApiException ExecutionDoesNotExist(string arn) => new("ExecutionDoesNotExist", $"Execution Does Not Exist: '{arn}'");

    public static StepFunctionsApiException StateMachineDoesNotExist(string arn) => new("StateMachineDoesNotExist", $"State Machine Does Not Exist: '{arn}'");

    public static StepFunctionsApiException InvalidArn(string arn) => new("InvalidArn", $"Invalid Arn: '{arn}'");
}
