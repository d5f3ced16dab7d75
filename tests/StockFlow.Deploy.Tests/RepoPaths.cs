using System.Reflection;

namespace StockFlow.Deploy.Tests;

/// <summary>Where the checkout is (recorded in the test assembly at build time).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Metadata("RepoRoot");

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Metadata(string name) =>
        typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == name).Value
        ?? throw new InvalidOperationException($"Assembly metadata {name} is missing.");
}
