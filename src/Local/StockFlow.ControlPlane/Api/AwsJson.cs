using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StockFlow.ControlPlane.Api;

/// <summary>The AWS JSON 1.0 conventions: timestamps as epoch seconds, typed request fields, opaque page tokens.</summary>
internal static class AwsJson
{
    public const string ContentType = "application/x-amz-json-1.0";

    /// <summary>Timestamps travel as epoch seconds with millisecond fractions, as the SDKs parse them.</summary>
    public static JsonNode Timestamp(DateTimeOffset value) => JsonValue.Create(Math.Round(value.ToUnixTimeMilliseconds() / 1000.0, 3));

    public static string? String(JsonObject request, string field, bool required = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.TryGetPropertyValue(field, out var value) || value is null)
        {
            return required ? throw StepFunctionsApiException.Validation($"1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null") : null;
        }

        return value is JsonValue v && v.TryGetValue<string>(out var s)
            ? s
            : throw new StepFunctionsApiException("SerializationException", $"'{field}' must be a string.");
    }

    public static int Int(JsonObject request, string field, int fallback, int min, int max)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.TryGetPropertyValue(field, out var value) || value is null)
        {
            return fallback;
        }

        if (value is not JsonValue v || !v.TryGetValue<int>(out var number))
        {
            throw new StepFunctionsApiException("SerializationException", $"'{field}' must be an integer.");
        }

        if (number < min || number > max)
        {
            throw StepFunctionsApiException.Validation(
                $"1 validation error detected: Value '{number}' at '{field}' failed to satisfy constraint: Member must have value between {min} and {max}");
        }

        return number == 0 ? fallback : number;
    }

    public static bool Bool(JsonObject request, string field, bool fallback)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.TryGetPropertyValue(field, out var value) && value is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;
    }

    /// <summary>A page token names the list it belongs to, so a token from another list is refused.</summary>
    public static string EncodeToken(string scope, string position) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new[] { scope, position })));

    public static string DecodeToken(string token, string scope)
    {
        ArgumentNullException.ThrowIfNull(token);
        try
        {
            var parts = JsonSerializer.Deserialize<string[]>(Encoding.UTF8.GetString(Convert.FromBase64String(token)));
            if (parts is [var s, var position] && s == scope)
            {
                return position;
            }
        }
        catch (FormatException)
        {
        }
        catch (JsonException)
        {
        }

        throw new StepFunctionsApiException("InvalidToken", $"Invalid Token: '{token}'");
    }

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
