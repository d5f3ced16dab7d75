using StockFlow.Cli.Packaging;

namespace StockFlow.Deploy.Tests.Lambda;

/// <summary>
/// The bootstrap the zips ship: published once per test run by <c>stockflow package</c>'s own publish step (Native AOT,
/// a few minutes the first time, seconds when nothing changed), and shared by every test that starts or packages it.
/// Publishing needs gcc; without it every such test fails with the packager's message saying what to install.
/// </summary>
internal static class PublishedBootstrap
{
    private static readonly Lazy<Task<string>> Published = new(PublishAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The folder <c>dotnet publish</c> wrote (what <c>stockflow package --bootstrap-dir</c> takes).</summary>
    public static Task<string> DirectoryAsync() => Published.Value;

    /// <summary>The native <c>bootstrap</c> executable.</summary>
    public static async Task<string> PathAsync() => Path.Combine(await DirectoryAsync(), ArtifactPackager.BootstrapName);

    private static async Task<string> PublishAsync()
    {
        // Under the test assembly's folder: one per checkout and configuration, emptied so nothing stale is bundled.
        var folder = Path.Combine(AppContext.BaseDirectory, "published-bootstrap");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        await new ArtifactPackager(RepoPaths.Root).PublishBootstrapAsync(folder, timeout.Token);
        return folder;
    }
}
