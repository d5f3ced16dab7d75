using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace StockFlow.Functions.Lambda;

/// <summary>One event from <c>GET /runtime/invocation/next</c>.</summary>
public sealed record Invocation(string RequestId, DateTimeOffset? Deadline, string? InvokedFunctionArn, string? TraceId, byte[] Body);

/// <summary>The error document Lambda expects: Step Functions matches <see cref="ErrorType"/> in Retry/Catch.</summary>
public sealed record FunctionError(string ErrorType, string ErrorMessage, IReadOnlyList<string> StackTrace)
{
    public static FunctionError From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var trace = (exception.StackTrace ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Take(50)
            .ToArray();
        return new FunctionError(exception.GetType().Name, exception.Message, trace);
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

    private readonly HttpClient _http;

    public RuntimeApiClient(string runtimeApi)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri($"http://{runtimeApi}/2018-06-01/"),
            // `next` long-polls until an event arrives; the sandbox is frozen in between.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<Invocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("runtime/invocation/next", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = response.Headers;
        var requestId = Header(headers, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new InvalidOperationException("The Runtime API sent an event without Lambda-Runtime-Aws-Request-Id.");
        DateTimeOffset? deadline = long.TryParse(Header(headers, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
        return new Invocation(requestId, deadline, Header(headers, "Lambda-Runtime-Invoked-Function-Arn"), Header(headers, "Lambda-Runtime-Trace-Id"), body);
    }

    public Task RespondAsync(string requestId, string json, CancellationToken cancellationToken) =>
        PostAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/response", json, errorType: null, cancellationToken);

    public Task ReportErrorAsync(string requestId, FunctionError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        return PostAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/error", error.ToJson(), error.ErrorType, cancellationToken);
    }

    public Task ReportInitErrorAsync(FunctionError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        return PostAsync("runtime/init/error", error.ToJson(), error.ErrorType, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private async Task PostAsync(string path, string json, string? errorType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        // 413 (payload too large) and 400 are the Runtime API refusing this answer: the caller turns it into an error post.
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new RuntimeApiException((int)response.StatusCode, $"The Runtime API answered {(int)response.StatusCode} to POST {path}: {text}");
        }
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
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
