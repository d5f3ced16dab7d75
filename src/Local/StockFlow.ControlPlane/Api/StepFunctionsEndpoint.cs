using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace StockFlow.ControlPlane.Api;

/// <summary>
/// AWS JSON 1.0 over HTTP: <c>POST /</c> with <c>X-Amz-Target: AWSStepFunctions.&lt;Operation&gt;</c>; answers
/// 200 with the operation's JSON, or 400/500 with <c>{"__type":"...","message":"..."}</c>. SigV4
/// signatures are accepted as they come (the server is on loopback or behind an access token).
/// </summary>
internal static class StepFunctionsEndpoint
{
    public const string TargetPrefix = "AWSStepFunctions.";

    /// <summary>Whether a request is meant for the API (the console's pages never send X-Amz-Target).</summary>
    public static bool IsApiRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpMethods.IsPost(request.Method) && request.Path == "/" && request.Headers.ContainsKey("X-Amz-Target");
    }

    public static async Task HandleAsync(HttpContext context, StepFunctionsApi api, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(api);
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        JsonObject response;
        int status;
        try
        {
            var target = context.Request.Headers["X-Amz-Target"].ToString();
            if (!target.StartsWith(TargetPrefix, StringComparison.Ordinal))
            {
                throw new StepFunctionsApiException("UnknownOperationException", $"'{target}' is not a Step Functions operation (X-Amz-Target: AWSStepFunctions.<Operation>).");
            }

            var request = await ReadBodyAsync(context.Request, context.RequestAborted);
            response = await api.InvokeAsync(target[TargetPrefix.Length..], request, context.RequestAborted);
            status = 200;
        }
        catch (StepFunctionsApiException ex)
        {
            response = Error(ex.ErrorCode, ex.Message);
            status = ex.StatusCode;
        }
        catch (InvalidDataException ex)
        {
            response = Error("ValidationException", ex.Message);
            status = 400;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Step Functions API request failed");
            response = Error("InternalFailure", "The local Step Functions API failed: " + ex.Message);
            status = 500;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = AwsJson.ContentType;
        await context.Response.WriteAsync(response.ToJsonString(), context.RequestAborted);
    }

    private static JsonObject Error(string type, string message) => new() { ["__type"] = type, ["message"] = message };

    private static async Task<JsonObject> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject
                ?? throw new StepFunctionsApiException("SerializationException", "The request body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new StepFunctionsApiException("SerializationException", "The request body is not valid JSON: " + ex.Message);
        }
    }
}
