using System.Text.Json.Nodes;

namespace StockFlow.Functions.Hosting;

/// <summary>
/// A Lambda function's code. The same instance serves the AWS Lambda runtime loop and the
/// local runtime (called in-process by the <c>lambda:invoke</c> binding), so the payload in
/// and out is plain JSON, exactly what Step Functions passes.
/// </summary>
public interface ILambdaHandler
{
    /// <summary>The function's short name (<c>plan</c>, <c>ingest</c>, <c>report</c>).</summary>
    string Name { get; }

    Task<JsonNode?> HandleAsync(JsonNode? payload, CancellationToken cancellationToken);
}
