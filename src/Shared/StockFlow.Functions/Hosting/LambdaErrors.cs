using System.Text.Json.Nodes;

namespace StockFlow.Functions.Hosting;

/// <summary>A Lambda error's Cause is a JSON object with errorMessage; people want the message.</summary>
public static class LambdaErrors
{
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
