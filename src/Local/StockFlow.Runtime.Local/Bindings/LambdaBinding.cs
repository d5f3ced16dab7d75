using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Functions.Hosting;
using StockFlow.Storage;

namespace StockFlow.Runtime.Local.Bindings;

/// <summary>
/// <c>lambda:invoke</c>: calls the same handler class the Lambda runtime runs, in-process, and
/// answers with the Lambda Invoke response shape. A handler's exception surfaces as AWS
/// surfaces a Lambda function error: the error name is the exception's type name and the
/// cause is the JSON error object, so Retry/Catch on it behave as on AWS.
/// </summary>
public sealed class LambdaBinding : IResourceBinding
{
    /// <summary>The optimised Lambda integration: the result is the Invoke response, with the function's result under <c>Payload</c>.</summary>
    public const string InvokeResource = "arn:aws:states:::lambda:invoke";

    private readonly Dictionary<string, ILambdaHandler> _handlers;

    private readonly FileSystemObjectStore? _lake;

    /// <summary>Binds each handler under its <see cref="ILambdaHandler.Name"/>; a function ARN, <c>stockflow-&lt;name&gt;</c> or the bare name finds it.</summary>
    /// <param name="handlers">The functions.</param>
    /// <param name="lake">The local lake the handlers write, or null: each invocation's writes are then flushed to disk
    /// together when it ends (<see cref="FileSystemObjectStore.DeferDurability"/>), before its result is returned.</param>
    public LambdaBinding(IEnumerable<ILambdaHandler> handlers, FileSystemObjectStore? lake = null)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        _handlers = handlers.ToDictionary(h => h.Name, StringComparer.Ordinal);
        _lake = lake;
    }

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Resources { get; } = [InvokeResource];

    /// <inheritdoc/>
    public async Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var parameters = invocation.Parameters as JsonObject
            ?? throw new StatesErrorException("Lambda.InvalidRequestContentException", "lambda:invoke needs Parameters with FunctionName.");
        var functionName = parameters["FunctionName"]?.GetValue<string>()
            ?? throw new StatesErrorException("Lambda.InvalidRequestContentException", "lambda:invoke needs a FunctionName.");
        var payload = parameters["Payload"]?.DeepClone();
        var result = await CallAsync(functionName, payload, cancellationToken);
        return new JsonObject
        {
            ["ExecutedVersion"] = "$LATEST",
            ["Payload"] = result,
            ["SdkHttpMetadata"] = new JsonObject
            {
                ["HttpHeaders"] = new JsonObject { ["Content-Type"] = "application/json" },
                ["HttpStatusCode"] = 200,
            },
            ["SdkResponseMetadata"] = new JsonObject { ["RequestId"] = Guid.NewGuid().ToString() },
            ["StatusCode"] = 200,
        };
    }

    /// <summary>The direct form: the Task's Resource is the function ARN and the result is the payload.</summary>
    public Task<JsonNode?> InvokeDirectAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        return CallAsync(invocation.Resource, invocation.Parameters?.DeepClone(), cancellationToken);
    }

    private async Task<JsonNode?> CallAsync(string functionName, JsonNode? payload, CancellationToken cancellationToken)
    {
        var handler = Resolve(functionName);
        using var writes = _lake?.DeferDurability();
        try
        {
            try
            {
                return await handler.HandleAsync(payload, cancellationToken);
            }
            finally
            {
                // What the invocation wrote is on disk before the state machine hears back, whether it succeeded or
                // failed (a failed ingest batch saves the symbols it finished for its retry).
                if (writes is not null)
                {
                    await writes.CompleteAsync(CancellationToken.None);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (StatesErrorException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw FunctionError(ex);
        }
    }

    private ILambdaHandler Resolve(string functionName)
    {
        // Accepts a bare name, "stockflow-plan", a function ARN, or an ARN with a version/alias.
        var name = functionName;
        var functionMarker = name.IndexOf(":function:", StringComparison.Ordinal);
        if (functionMarker >= 0)
        {
            name = name[(functionMarker + ":function:".Length)..];
            var qualifier = name.IndexOf(':', StringComparison.Ordinal);
            if (qualifier >= 0)
            {
                name = name[..qualifier];
            }
        }

        if (name.StartsWith("stockflow-", StringComparison.Ordinal))
        {
            name = name["stockflow-".Length..];
        }

        return _handlers.TryGetValue(name, out var handler)
            ? handler
            : throw new StatesErrorException(
                "Lambda.ResourceNotFoundException",
                $"Function not found: {functionName} (local functions: {string.Join(", ", _handlers.Keys.Order(StringComparer.Ordinal))})");
    }

    private static StatesErrorException FunctionError(Exception ex)
    {
        var errorType = FunctionErrorNames.Of(ex);
        var cause = new JsonObject
        {
            ["errorMessage"] = ex.Message,
            ["errorType"] = errorType,
            // a re-raised caught failure's own stack says nothing about the failure
            ["stackTrace"] = new JsonArray((ex is PipelineFailedException ? string.Empty : ex.StackTrace ?? string.Empty)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Take(20)
                .Select(line => (JsonNode?)JsonValue.Create(line))
                .ToArray()),
        };
        return new StatesErrorException(errorType, cause.ToJsonString(CauseJson), ex);
    }

    private static readonly JsonSerializerOptions CauseJson = new() { WriteIndented = false };

}
