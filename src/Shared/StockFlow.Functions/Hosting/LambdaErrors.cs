using System.Text.Json.Nodes;

namespace StockFlow.Functions.Hosting;

/// <summary>A Lambda error's Cause is a JSON object with errorMessage; people want the message.</summary>
public static class LambdaErrors
{
    /// <summary>The <c>errorMessage</c> inside a Lambda error document; any other Cause (plain text, not JSON) as it is,
    /// and null as an empty string.</summary>
    public static string Message(string? cause)
    {
        if (string.IsNullOrWhiteSpace(cause) || cause[0] != '{')
        {
            return cause ?? string.Empty;
        }

        try
        {
            return JsonNode.Parse(cause)?["errorMessage"]?.GetValue<string>() ?? cause;
        }
        catch (System.Text.Json.JsonException)
        {
            return cause;
        }
    }
}
