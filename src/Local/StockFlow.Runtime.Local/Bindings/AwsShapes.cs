using System.Globalization;
using System.Text.Json.Nodes;

namespace StockFlow.Runtime.Local.Bindings;

/// <summary>Small helpers for answering in AWS's JSON shapes.</summary>
internal static class AwsShapes
{
    /// <summary>AWS SDK JSON timestamps as Step Functions shows them in service integration output.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string RequiredString(JsonNode? parameters, string field, string resource)
    {
        if (parameters?[field] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text))
        {
            return text;
        }

        throw new Asl.StatesErrorException(
            ServiceOf(resource) + ".ValidationException",
            $"1 validation error detected: Value null at '{char.ToLowerInvariant(field[0]) + field[1..]}' failed to satisfy constraint: Member must not be null");
    }

    /// <summary>"arn:aws:states:::aws-sdk:glue:getCrawler" -> "Glue"; "arn:aws:states:::athena:..." -> "Athena".</summary>
    public static string ServiceOf(string resource)
    {
        var parts = resource.Split(':');
        var service = parts.Length > 6 && parts[5] == "aws-sdk" ? parts[6] : parts.Length > 5 ? parts[5] : "States";
        return service.Length == 0 ? "States" : char.ToUpperInvariant(service[0]) + service[1..];
    }
}
