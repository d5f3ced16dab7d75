using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace StockFlow.Functions.Hosting;

/// <summary>One JSON convention for every handler payload: camelCase, no nulls written.</summary>
public static class HandlerJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    public static T Read<T>(JsonNode? payload, string handlerName)
    {
        if (payload is null)
        {
            throw new InvalidPayloadException($"The {handlerName} function needs a JSON payload, got null.");
        }

        try
        {
            return payload.Deserialize<T>(Options)
                ?? throw new InvalidPayloadException($"The {handlerName} function could not read its payload.");
        }
        catch (JsonException ex)
        {
            throw new InvalidPayloadException($"The {handlerName} function could not read its payload: {ex.Message}", ex);
        }
    }

    public static JsonNode? Write<T>(T value) => JsonSerializer.SerializeToNode(value, Options);
}
