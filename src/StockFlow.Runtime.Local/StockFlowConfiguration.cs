using Microsoft.Extensions.Configuration;
using StockFlow.Providers;

namespace StockFlow.Runtime.Local;

/// <summary>
/// The optional configuration file (JSON): <c>--config FILE</c>, else <c>STOCKFLOW_CONFIG</c>, else
/// <c>stockflow.json</c> in the current folder when it exists. Its <c>Providers</c> section sets
/// base URLs, API keys, rate limits and retries; environment variables still win over it.
/// </summary>
public static class StockFlowConfiguration
{
    public const string FileVariable = "STOCKFLOW_CONFIG";
    public const string DefaultFileName = "stockflow.json";

    public static string? Locate(string? explicitPath)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return File.Exists(explicitPath)
                ? Path.GetFullPath(explicitPath)
                : throw new FileNotFoundException($"The configuration file '{explicitPath}' does not exist.", explicitPath);
        }

        if (Environment.GetEnvironmentVariable(FileVariable) is { Length: > 0 } fromEnvironment)
        {
            return Locate(fromEnvironment);
        }

        return File.Exists(DefaultFileName) ? Path.GetFullPath(DefaultFileName) : null;
    }

    public static ProviderOptions LoadProviderOptions(string? explicitPath)
    {
        var path = Locate(explicitPath);
        if (path is null)
        {
            return ProviderOptions.Load();
        }

        try
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build();
            return ProviderOptions.Load(configuration.GetSection(ProviderOptions.SectionName));
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"The configuration file '{path}' is not valid: {ex.Message}", ex);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"The configuration file '{path}' is not valid JSON: {ex.Message}", ex);
        }
    }
}
