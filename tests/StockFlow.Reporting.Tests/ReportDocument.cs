using System.Text.Json;
using System.Text.RegularExpressions;

namespace StockFlow.Reporting.Tests;

/// <summary>Reads back what a generated report contains: its inline JSON blocks and script tags.</summary>
internal static partial class ReportDocument
{
    public static JsonElement Json(string html, string id)
    {
        var match = Regex.Match(
            html, $"<script type=\"application/json\" id=\"{Regex.Escape(id)}\">(.*?)</script>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no JSON block '{id}' in the document");
        return JsonDocument.Parse(match.Groups[1].Value).RootElement.Clone();
    }

    public static bool HasJson(string html, string id) =>
        html.Contains($"id=\"{id}\"", StringComparison.Ordinal) && html.Contains("application/json", StringComparison.Ordinal);

    public static int Count(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    public static double[] Numbers(JsonElement array) =>
        array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static string[] Strings(JsonElement array) =>
        array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    public static JsonElement Trace(JsonElement figure, string name) =>
        figure.GetProperty("data").EnumerateArray().Single(t => t.GetProperty("name").GetString() == name);
}
