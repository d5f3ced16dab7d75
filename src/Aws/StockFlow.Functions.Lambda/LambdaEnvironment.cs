using StockFlow.Storage;

namespace StockFlow.Functions.Lambda;

/// <summary>
/// The sandbox's configuration, read once at init from the variables Lambda sets
/// (<c>AWS_LAMBDA_RUNTIME_API</c>, <c>_HANDLER</c>, <c>AWS_REGION</c>) and the deployment's own.
/// </summary>
/// <param name="RuntimeApi">The Runtime API's <c>host:port</c> (<c>AWS_LAMBDA_RUNTIME_API</c>); required.</param>
/// <param name="Handler">The function to serve (<c>_HANDLER</c>, e.g. <c>plan</c>); null or unknown is an init error.</param>
/// <param name="LakeBucket">The lake bucket (<c>STOCKFLOW_LAKE_BUCKET</c>); null is an init error, see <see cref="RequireLakeBucket"/>.</param>
/// <param name="S3">How the lake's S3 client connects; with no variable set, to AWS through the standard credential chain.</param>
public sealed record LambdaEnvironment(string RuntimeApi, string? Handler, string? LakeBucket, S3ObjectStoreOptions S3)
{
    /// <summary>Set by Lambda: the Runtime API's <c>host:port</c>.</summary>
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>Set by Lambda from the function's handler setting: which function this sandbox serves.</summary>
    public const string HandlerVariable = "_HANDLER";

    /// <summary>Set by the deployment (infra/Main.yaml): the lake bucket's name.</summary>
    public const string LakeBucketVariable = "STOCKFLOW_LAKE_BUCKET";

    /// <summary>Optional, <c>true</c> or <c>false</c> (default false): path-style S3 URLs, for S3-compatible servers.</summary>
    public const string ForcePathStyleVariable = "STOCKFLOW_S3_FORCE_PATH_STYLE";

    /// <summary>Reads the environment; only a missing Runtime API address is fatal here (nothing to report an init error to).</summary>
    /// <param name="variable">Reads a variable (the process environment, or a dictionary in tests).</param>
    /// <exception cref="LambdaConfigurationException">The Runtime API address is missing, or an S3 variable is malformed.</exception>
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
    /// <param name="variable">Reads a variable (the process environment, or a dictionary in tests).</param>
    /// <exception cref="LambdaConfigurationException">The endpoint is not an absolute URL, or the path-style flag not a boolean.</exception>
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
    /// <exception cref="LambdaConfigurationException"><see cref="LakeBucketVariable"/> is not set.</exception>
    public string RequireLakeBucket() =>
        LakeBucket ?? throw new LambdaConfigurationException($"{LakeBucketVariable} is not set: the function needs the name of the lake bucket.");

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The sandbox is configured wrongly (environment variables); reported as an init error.</summary>
public sealed class LambdaConfigurationException : Exception
{
    /// <summary>Without a message.</summary>
    public LambdaConfigurationException() { }

    /// <summary>With the sentence that names the variable and what to set.</summary>
    public LambdaConfigurationException(string message) : base(message) { }

    /// <summary>With the sentence that names the variable and what to set and the failure behind it.</summary>
    public LambdaConfigurationException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary><c>_HANDLER</c> names no function this bootstrap serves; reported as an init error.</summary>
public sealed class UnknownHandlerException : Exception
{
    /// <summary>Without a message.</summary>
    public UnknownHandlerException() { }

    /// <summary>With the sentence that names the handler and the ones served.</summary>
    public UnknownHandlerException(string message) : base(message) { }

    /// <summary>With the sentence that names the handler and the ones served and the failure behind it.</summary>
    public UnknownHandlerException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The invocation reached its deadline (the function's timeout) before the handler finished.</summary>
public sealed class DeadlineExceededException : Exception
{
    /// <summary>Without a message.</summary>
    public DeadlineExceededException() { }

    /// <summary>With the sentence that becomes the error's Cause.</summary>
    public DeadlineExceededException(string message) : base(message) { }

    /// <summary>With the sentence that becomes the error's Cause and the failure behind it.</summary>
    public DeadlineExceededException(string message, Exception innerException) : base(message, innerException) { }
}
