using System.Text.Json;

namespace StockFlow.Testing;

/// <summary>
/// The recorded provider answers in shared/fixtures, found by walking up from the test binaries to a folder
/// that holds shared/fixtures (the repository's parent locally, ../shared beside the repository in CI).
/// </summary>
public static class SharedFixtures
{
    private static readonly Lazy<string> Root = new(Find);

    public static string YahooChartDirectory => Path.Combine(Root.Value, "yahoo-chart");

    /// <summary>A recorded Yahoo chart answer: its HTTP status and <c>response.bodyJson</c> as the raw body.</summary>
    public static (int Status, string Body) YahooChart(string fileName)
    {
        var path = Path.Combine(YahooChartDirectory, fileName);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var response = document.RootElement.GetProperty("response");
        return (response.GetProperty("status").GetInt32(), response.GetProperty("bodyJson").GetRawText());
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "fixtures"), Path.Combine(dir.FullName, "..", "shared", "fixtures") })
            {
                if (Directory.Exists(Path.Combine(candidate, "yahoo-chart")))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"shared/fixtures/yahoo-chart was not found above {AppContext.BaseDirectory}; expected /work/shared locally or ../shared beside the repository in CI.");
    }
}
