using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace StockFlow.Functions.Hosting;

/// <summary>
/// One JSON convention for every handler payload: camelCase, no nulls written, dates as <c>yyyy-MM-dd</c>. The payload
/// records hold <see cref="DateOnly"/>, so the serializer reads and checks every date; no handler parses one itself.
/// </summary>
public static class HandlerJson
{
    /// <summary>The serializer options of every payload, result and lake object the functions read or write.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        Converters = { new IsoDateConverter() },
    };

    /// <summary>
    /// Reads a handler's payload; anything unreadable (null, wrong shape, a bad date) is an
    /// <see cref="InvalidPayloadException"/> naming the handler and, where known, the field.
    /// </summary>
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
            var where = ex.Path is { Length: > 1 } path && !ex.Message.Contains(path, StringComparison.Ordinal) ? $" {path}" : string.Empty;
            throw new InvalidPayloadException($"The {handlerName} function could not read its payload:{where} {ex.Message}", ex);
        }
    }

    /// <summary>Writes a handler's result as a JSON node.</summary>
    public static JsonNode? Write<T>(T value) => JsonSerializer.SerializeToNode(value, Options);

    /// <summary>
    /// The serializer's own <c>DateOnly</c> format (ISO 8601 <c>yyyy-MM-dd</c>), with an error a user can act on: the
    /// built-in one names only the CLR type.
    /// </summary>
    private sealed class IsoDateConverter : JsonConverter<DateOnly>
    {
        private const string Format = "yyyy-MM-dd";

        public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            return DateOnly.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : throw new JsonException(
                    $"must be a date like 2024-01-31, got {(text is null ? reader.TokenType.ToString().ToLowerInvariant() : $"'{text}'")}.");
        }

        public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value.ToString(Format, CultureInfo.InvariantCulture));
        }
    }
}
