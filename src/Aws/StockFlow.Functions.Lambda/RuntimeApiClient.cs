using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StockFlow.Functions.Hosting;

namespace StockFlow.Functions.Lambda;

/// <summary>One event from <c>GET /runtime/invocation/next</c>.</summary>
public sealed record Invocation(string RequestId, DateTimeOffset? Deadline, string? InvokedFunctionArn, string? TraceId, byte[] Body);

/// <summary>The error document Lambda expects: Step Functions matches <see cref="ErrorType"/> in Retry/Catch.</summary>
public sealed record FunctionError(string ErrorType, string ErrorMessage, IReadOnlyList<string> StackTrace)
{
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
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private static readonly (string, string)[] JsonContent = [("Content-Type", "application/json")];

    // One connection, used by one invocation at a time: `next` long-polls until an event arrives.
    private readonly RuntimeHttp _http;

    public RuntimeApiClient(string runtimeApi)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        _http = new RuntimeHttp(runtimeApi);
    }

    public async Task<Invocation> NextAsync(CancellationToken cancellationToken)
    {
        var response = await _http.SendAsync("GET", "/2018-06-01/runtime/invocation/next", null, [], cancellationToken);
        if (response.Status != 200)
        {
            throw new RuntimeApiException(response.Status, $"The Runtime API answered {response.Status} to GET next: {Encoding.UTF8.GetString(response.Body)}");
        }

        var requestId = response.Header("Lambda-Runtime-Aws-Request-Id")
            ?? throw new RuntimeApiException(response.Status, "The Runtime API sent an event without Lambda-Runtime-Aws-Request-Id.");
        DateTimeOffset? deadline = long.TryParse(response.Header("Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
        return new Invocation(requestId, deadline, response.Header("Lambda-Runtime-Invoked-Function-Arn"), response.Header("Lambda-Runtime-Trace-Id"), response.Body);
    }

    public Task RespondAsync(string requestId, string json, CancellationToken cancellationToken) =>
        PostAsync($"/2018-06-01/runtime/invocation/{Uri.EscapeDataString(requestId)}/response", json, errorType: null, cancellationToken);

    public Task ReportErrorAsync(string requestId, FunctionError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        return PostAsync($"/2018-06-01/runtime/invocation/{Uri.EscapeDataString(requestId)}/error", error.ToJson(), error.ErrorType, cancellationToken);
    }

    public Task ReportInitErrorAsync(FunctionError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        return PostAsync("/2018-06-01/runtime/init/error", error.ToJson(), error.ErrorType, cancellationToken);
    }

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
    public RuntimeApiException() { }

    public RuntimeApiException(string message) : base(message) { }

    public RuntimeApiException(int statusCode, string message) : base(message) => StatusCode = statusCode;

    public RuntimeApiException(string message, Exception innerException) : base(message, innerException) { }

    public int StatusCode { get; }
}
