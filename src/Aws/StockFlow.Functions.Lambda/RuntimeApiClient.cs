using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StockFlow.Functions.Hosting;

namespace StockFlow.Functions.Lambda;

/// <summary>One event from <c>GET /runtime/invocation/next</c>.</summary>
/// <param name="RequestId">The invocation's id (<c>Lambda-Runtime-Aws-Request-Id</c>): the answer and the log lines name it.</param>
/// <param name="Deadline">When Lambda stops the invocation (<c>Lambda-Runtime-Deadline-Ms</c>); null when the header is missing.</param>
/// <param name="InvokedFunctionArn">The ARN the function was invoked by (<c>Lambda-Runtime-Invoked-Function-Arn</c>).</param>
/// <param name="TraceId">The X-Ray trace header (<c>Lambda-Runtime-Trace-Id</c>), exposed to the handler as <c>_X_AMZN_TRACE_ID</c>.</param>
/// <param name="Body">The event: the JSON payload Step Functions sent.</param>
public sealed record Invocation(string RequestId, DateTimeOffset? Deadline, string? InvokedFunctionArn, string? TraceId, byte[] Body);

/// <summary>The error document Lambda expects: Step Functions matches <see cref="ErrorType"/> in Retry/Catch.</summary>
/// <param name="ErrorType">The error's name: the exception's type name (see <see cref="FunctionErrorNames"/>).</param>
/// <param name="ErrorMessage">The exception's message, which becomes the state's Cause.</param>
/// <param name="StackTrace">At most 50 lines of the exception's stack trace; none for a re-raised caught failure.</param>
public sealed record FunctionError(string ErrorType, string ErrorMessage, IReadOnlyList<string> StackTrace)
{
    /// <summary>The document of an exception a handler (or the init) threw.</summary>
    public static FunctionError From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        // a re-raised caught failure's own stack says nothing about the failure
        var trace = (exception is PipelineFailedException ? string.Empty : exception.StackTrace ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Take(50)
            .ToArray();
        return new FunctionError(FunctionErrorNames.Of(exception), exception.Message, trace);
    }

    /// <summary>The JSON body Lambda takes: <c>{"errorType","errorMessage","stackTrace"}</c>.</summary>
    public string ToJson() => new JsonObject
    {
        ["errorType"] = ErrorType,
        ["errorMessage"] = ErrorMessage,
        ["stackTrace"] = new JsonArray(StackTrace.Select(line => (JsonNode?)JsonValue.Create(line)).ToArray()),
    }.ToJsonString();
}

/// <summary>
/// The Lambda Runtime API, version 2018-06-01, over plain HTTP to <c>AWS_LAMBDA_RUNTIME_API</c>.
/// See https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html.
/// </summary>
public sealed class RuntimeApiClient : IDisposable
{
    /// <summary>The header an error post names its error type in (beside the document's <c>errorType</c>).</summary>
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private static readonly (string, string)[] JsonContent = [("Content-Type", "application/json")];

    // One connection, used by one invocation at a time: `next` long-polls until an event arrives.
    private readonly RuntimeHttp _http;

    /// <param name="runtimeApi">The Runtime API's <c>host:port</c>, as <c>AWS_LAMBDA_RUNTIME_API</c> gives it.</param>
    public RuntimeApiClient(string runtimeApi)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        _http = new RuntimeHttp(runtimeApi);
    }

    /// <summary>Waits (long-polls, without a timeout) for the next event.</summary>
    /// <exception cref="RuntimeApiException">The Runtime API answered other than 200, or without a request id.</exception>
    public async Task<Invocation> NextAsync(CancellationToken cancellationToken)
    {
        var response = await _http.SendAsync("GET", "/2018-06-01/runtime/invocation/next", null, [], cancellationToken);
        if (response.Status != 200)
        {
            throw new RuntimeApiException(response.Status, $"The Runtime API answered {response.Status} to GET next: {Encoding.UTF8.GetString(response.Body)}");
        }

        var requestId = response.Header("Lambda-Runtime-Aws-Request-Id")
            ?? throw new RuntimeApiException(response.Status, "The Runtime API sent an event without Lambda-Runtime-Aws-Request-Id.");
        // A deadline that is no date at all (beyond year 9999) is treated as missing, like one that does not parse.
        DateTimeOffset? deadline = long.TryParse(response.Header("Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
        return new Invocation(requestId, deadline, response.Header("Lambda-Runtime-Invoked-Function-Arn"), response.Header("Lambda-Runtime-Trace-Id"), response.Body);
    }

    /// <summary>Posts an invocation's answer (JSON).</summary>
    /// <exception cref="RuntimeApiException">The Runtime API refused it (e.g. 413 for more than 6 MB).</exception>
    public Task RespondAsync(string requestId, string json, CancellationToken cancellationToken) =>
        PostAsync($"/2018-06-01/runtime/invocation/{Uri.EscapeDataString(requestId)}/response", json, errorType: null, cancellationToken);

    /// <summary>Posts an invocation's error: the execution sees it as the Task state's error.</summary>
    /// <exception cref="RuntimeApiException">The Runtime API refused the post.</exception>
    public Task ReportErrorAsync(string requestId, FunctionError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        return PostAsync($"/2018-06-01/runtime/invocation/{Uri.EscapeDataString(requestId)}/error", error.ToJson(), error.ErrorType, cancellationToken);
    }

    /// <summary>Posts an init error (bad configuration, unknown handler): Lambda fails the invocation and replaces the sandbox.</summary>
    /// <exception cref="RuntimeApiException">The Runtime API refused the post.</exception>
    public Task ReportInitErrorAsync(FunctionError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        return PostAsync("/2018-06-01/runtime/init/error", error.ToJson(), error.ErrorType, cancellationToken);
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => _http.Dispose();

    private async Task PostAsync(string path, string json, string? errorType, CancellationToken cancellationToken)
    {
        IReadOnlyList<(string, string)> headers = errorType is null ? JsonContent : [.. JsonContent, (ErrorTypeHeader, errorType)];
        var response = await _http.SendAsync("POST", path, Encoding.UTF8.GetBytes(json), headers, cancellationToken);
        // 413 (payload too large) and 400 are the Runtime API refusing this answer: the caller turns it into an error post.
        if (response.Status is < 200 or > 299)
        {
            throw new RuntimeApiException(response.Status, $"The Runtime API answered {response.Status} to POST {path}: {Encoding.UTF8.GetString(response.Body)}");
        }
    }
}

/// <summary>The Runtime API refused a post (e.g. 413 for a response over 6 MB).</summary>
public sealed class RuntimeApiException : Exception
{
    /// <summary>Without a message or status.</summary>
    public RuntimeApiException() { }

    /// <summary>With the sentence that is logged.</summary>
    public RuntimeApiException(string message) : base(message) { }

    /// <summary>With the HTTP status the Runtime API answered.</summary>
    public RuntimeApiException(int statusCode, string message) : base(message) => StatusCode = statusCode;

    /// <summary>With the sentence that is logged and the failure behind it.</summary>
    public RuntimeApiException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The HTTP status the Runtime API answered; 0 when the failure was not an answer.</summary>
    public int StatusCode { get; }
}
