using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using StockFlow.Functions.Ingest;
using StockFlow.Functions.Lake;
using StockFlow.Functions.Locking;
using StockFlow.Functions.Plan;
using StockFlow.Functions.Report;
using StockFlow.Functions.Summarize;

namespace StockFlow.Functions.Hosting;

/// <summary>
/// One JSON convention for every handler payload and lake object: camelCase, no nulls written, dates as <c>yyyy-MM-dd</c>.
/// The payload records hold <see cref="DateOnly"/>, so the serializer reads and checks every date; no handler parses one
/// itself. The serializers are source-generated (<see cref="FunctionJsonContext"/>): nothing is built by reflection at run
/// time, so the Lambda bootstrap builds no serializer on its first event and has no AOT or trim warning.
/// </summary>
public static class HandlerJson
{
    /// <summary>The serializer options of every payload, result and lake object the functions read or write.</summary>
    public static JsonSerializerOptions Options => FunctionJsonContext.Default.Options;

    /// <summary>The generated serializer of <typeparamref name="T"/>; a type missing from <see cref="FunctionJsonContext"/> is a programming error.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() =>
        FunctionJsonContext.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new InvalidOperationException($"{typeof(T)} is not in {nameof(FunctionJsonContext)}: add a [JsonSerializable] for it.");

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
            return payload.Deserialize(TypeInfo<T>())
                ?? throw new InvalidPayloadException($"The {handlerName} function could not read its payload.");
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 1 } path && !ex.Message.Contains(path, StringComparison.Ordinal) ? $" {path}" : string.Empty;
            throw new InvalidPayloadException($"The {handlerName} function could not read its payload:{where} {ex.Message}", ex);
        }
    }

    /// <summary>Writes a handler's result as a JSON node.</summary>
    public static JsonNode? Write<T>(T value) => JsonSerializer.SerializeToNode(value, TypeInfo<T>());
}

/// <summary>
/// The serializer's own <c>DateOnly</c> format (ISO 8601 <c>yyyy-MM-dd</c>), with an error a user can act on: the
/// built-in one names only the CLR type.
/// </summary>
internal sealed class IsoDateConverter : JsonConverter<DateOnly>
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

/// <summary>Every type a handler reads or writes as JSON (payloads, answers, lake documents).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    Converters = [typeof(IsoDateConverter)])]
[JsonSerializable(typeof(PlanPayload))]
[JsonSerializable(typeof(PlanResult))]
[JsonSerializable(typeof(IngestItem))]
[JsonSerializable(typeof(IReadOnlyList<IngestItem>))]
[JsonSerializable(typeof(List<IngestItem>))]
[JsonSerializable(typeof(IngestItem[]))]
[JsonSerializable(typeof(IngestBatch))]
[JsonSerializable(typeof(IngestBatchInput))]
[JsonSerializable(typeof(IngestBatchResult))]
[JsonSerializable(typeof(List<SymbolOutcome>))]
[JsonSerializable(typeof(IReadOnlyList<SymbolOutcome>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(SummarizeRequest))]
[JsonSerializable(typeof(IngestSummary))]
[JsonSerializable(typeof(ResultManifest))]
[JsonSerializable(typeof(List<ChildResult>))]
[JsonSerializable(typeof(Dictionary<string, Watermark>))]
[JsonSerializable(typeof(SortedDictionary<string, Watermark>))]
[JsonSerializable(typeof(LakeLockRequest))]
[JsonSerializable(typeof(LakeLockDocument))]
[JsonSerializable(typeof(LakeLockAcquired))]
[JsonSerializable(typeof(LakeLockReleased))]
[JsonSerializable(typeof(LakeLockResumed))]
[JsonSerializable(typeof(ReportRequest))]
[JsonSerializable(typeof(ReportResult))]
[JsonSerializable(typeof(TransformJobStatistics))]
public sealed partial class FunctionJsonContext : JsonSerializerContext;
