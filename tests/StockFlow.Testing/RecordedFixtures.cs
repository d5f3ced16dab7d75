using System.Text.Json;

namespace StockFlow.Testing;

/// <summary>
/// The recorded provider answers in <c>tests/fixtures</c> (provenance in each file's <c>.md</c> sidecar),
/// copied next to the test binaries by the build, so tests need nothing outside the repository.
/// </summary>
public static class RecordedFixtures
{
    public static string YahooChartDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "fixtures", "yahoo-chart");

    /// <summary>A recorded Yahoo chart answer: its HTTP status and <c>response.bodyJson</c> as the raw body.</summary>
    public static (int Status, string Body) YahooChart(string fileName)
    {
        var path = Path.Combine(YahooChartDirectory, fileName);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var response = document.RootElement.GetProperty("response");
        return (response.GetProperty("status").GetInt32(), response.GetProperty("bodyJson").GetRawText());
    }
}
