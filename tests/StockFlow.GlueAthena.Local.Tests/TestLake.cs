using System.Globalization;
using System.Text;

namespace StockFlow.GlueAthena.Local.Tests;

/// <summary>A temporary lake folder, deleted on dispose.</summary>
public sealed class TestLake : IDisposable
{
    public const string Header = "Date,Open,High,Low,Close,Adj Close,Volume";

    public TestLake()
    {
        Root = Path.Combine(Path.GetTempPath(), "stockflow-glueathena-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string WriteRaw(string symbol, string fileName, params string[] lines) =>
        WriteFile($"raw/prices/symbol={symbol}/{fileName}", Header, lines);

    public string WriteFile(string relativePath, string header, IEnumerable<string> lines)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = new StringBuilder(header).Append('\n');
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>A valid raw row whose px (close = adj close) is <paramref name="px"/>.</summary>
    public static string Row(DateOnly date, double px, string? adjClose = null, long volume = 1000) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{date:yyyy-MM-dd},{px},{px * 1.01},{px * 0.99},{px},{adjClose ?? px.ToString("R", CultureInfo.InvariantCulture)},{volume}");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
    }
}
