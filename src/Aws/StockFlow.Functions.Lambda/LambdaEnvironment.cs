using StockFlow.Storage;

namespace StockFlow.Functions.Lambda;

/// <summary>
/// The sandbox's configuration, read once at init from the variables Lambda sets
/// (<c>AWS_LAMBDA_RUNTIME_API</c>, <c>_HANDLER</c>, <c>AWS_REGION</c>) and the deployment's own.
/// </summary>
public sealed record LambdaEnvironment(string RuntimeApi, string? Handler, string? LakeBucket, S3ObjectStoreOptions S3)
{
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";
    public const string HandlerVariable = "_HANDLER";
    public const string LakeBucketVariable = "STOCKFLOW_LAKE_BUCKET";
    public const string ForcePathStyleVariable = "STOCKFLOW_S3_FORCE_PATH_STYLE";

    /// <summary>Reads the environment; only a missing Runtime API address is fatal here (nothing to report an init error to).</summary>
    public static LambdaEnvironment Read(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var runtimeApi = variable(RuntimeApiVariable);
        if (string.IsNullOrWhiteSpace(runtimeApi))
        {
            throw new LambdaConfigurationException($"{RuntimeApiVariable} is not set: this program is a Lambda custom runtime and runs inside Lambda (or against a Runtime API emulator).");
        }

        return new LambdaEnvironment(runtimeApi.Trim(), variable(HandlerVariable), Blank(variable(LakeBucketVariable)), S3Options(variable));
    }

    /// <summary>
    /// The standard SDK variables for S3-compatible servers: the service-specific
    /// <c>AWS_ENDPOINT_URL_S3</c> wins over the global <c>AWS_ENDPOINT_URL</c>. Credentials and
    /// region come from the SDK's standard chain (Lambda's environment).
    /// </summary>
    public static S3ObjectStoreOptions S3Options(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var endpoint = Blank(variable("AWS_ENDPOINT_URL_S3")) ?? Blank(variable("AWS_ENDPOINT_URL"));
        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            throw new LambdaConfigurationException($"The S3 endpoint '{endpoint}' (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL) is not an absolute URL.");
        }

        var pathStyle = Blank(variable(ForcePathStyleVariable));
        if (pathStyle is not null && !bool.TryParse(pathStyle, out _))
        {
            throw new LambdaConfigurationException($"{ForcePathStyleVariable} must be true or false, not '{pathStyle}'.");
        }

        return new S3ObjectStoreOptions
        {
            ServiceUrl = endpoint,
            Region = Blank(variable("AWS_REGION")) ?? Blank(variable("AWS_DEFAULT_REGION")),
            ForcePathStyle = pathStyle is not null && bool.Parse(pathStyle),
        };
    }

    /// <summary>The lake bucket, which the deployment must set (the csv provider and every lake key need it).</summary>
    public string RequireLakeBucket() =>
        LakeBucket ?? throw new LambdaConfigurationException($"{LakeBucketVariable} is not set: the function needs the name of the lake bucket.");

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The sandbox is configured wrongly (environment variables); reported as an init error.</summary>
public sealed class LambdaConfigurationException : Exception
{
    public LambdaConfigurationException() { }

    public LambdaConfigurationException(string message) : base(message) { }

    public LambdaConfigurationException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary><c>_HANDLER</c> names no function this bootstrap serves; reported as an init error.</summary>
public sealed class UnknownHandlerException : Exception
{
    public UnknownHandlerException() { }

    public UnknownHandlerException(string message) : base(message) { }

    public UnknownHandlerException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The invocation reached its deadline (the function's timeout) before the handler finished.</summary>
public sealed class DeadlineExceededException : Exception
{
    public DeadlineExceededException() { }

    public DeadlineExceededException(string message) : base(message) { }

    public DeadlineExceededException(string message, Exception innerException) : base(message, innerException) { }
}
