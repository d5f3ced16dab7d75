using System.Text.Json.Nodes;
using StockFlow.Asl;

namespace StockFlow.Runtime.Local.Bindings;

/// <summary>
/// <c>sns:publish</c>: appends the message to the data directory's notifications log (one
/// JSON object a line) and answers with SNS's Publish response shape.
/// </summary>
public sealed class SnsBinding(string logPath, TimeProvider clock) : IResourceBinding
{
    /// <summary>Publishes a message to a topic.</summary>
    public const string PublishResource = "arn:aws:states:::sns:publish";

    private static readonly Lock Gate = new();

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Resources { get; } = [PublishResource];

    /// <inheritdoc/>
    public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var parameters = invocation.Parameters as JsonObject;
        var message = parameters?["Message"];
        if (parameters?["TopicArn"] is null && parameters?["TargetArn"] is null && parameters?["PhoneNumber"] is null)
        {
            throw new StatesErrorException("SNS.InvalidParameterException", "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
        }

        if (message is null)
        {
            throw new StatesErrorException("SNS.InvalidParameterException", "Invalid parameter: Message Reason: no value for required parameter");
        }

        var messageId = Guid.NewGuid().ToString();
        var line = new JsonObject
        {
            ["messageId"] = messageId,
            ["timestamp"] = clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["topicArn"] = parameters!["TopicArn"]?.DeepClone(),
            ["subject"] = parameters["Subject"]?.DeepClone(),
            ["message"] = message.DeepClone(),
            ["state"] = invocation.StateName,
        }.ToJsonString() + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        lock (Gate)
        {
            File.AppendAllText(logPath, line);
        }

        return Task.FromResult<JsonNode?>(new JsonObject
        {
            ["MessageId"] = messageId,
            ["SdkHttpMetadata"] = new JsonObject { ["HttpStatusCode"] = 200 },
            ["SdkResponseMetadata"] = new JsonObject { ["RequestId"] = Guid.NewGuid().ToString() },
        });
    }
}
