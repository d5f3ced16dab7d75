namespace StockFlow.EndToEnd.Tests;

/// <summary>A throwaway data directory per test.</summary>
public sealed class TestDataDirectory : IDisposable
{
    public TestDataDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "stockflow-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A killed child process may still hold a file for a moment; the temp folder is cleaned later.
        }
    }
}
