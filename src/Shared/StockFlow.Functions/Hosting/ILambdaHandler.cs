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

    /// <summary>Runs the function on one event and answers with its result, both as Step Functions passes them.</summary>
    /// <param name="payload">The Task state's payload (its <c>Payload</c> or <c>Arguments</c>).</param>
    /// <param name="cancellationToken">Fires shortly before the invocation's deadline (on AWS) or when the execution stops.</param>
    /// <returns>The function's answer, which the Task state's <c>ResultSelector</c>/<c>ResultPath</c> read.</returns>
    /// <exception cref="InvalidPayloadException">The payload does not have the shape the function expects.</exception>
    /// <remarks>Every error is a named exception type: its name is the state's Error, which Retry and Catch match
    /// (docs/errors.md lists them).</remarks>
    Task<JsonNode?> HandleAsync(JsonNode? payload, CancellationToken cancellationToken);
}
