using System.Globalization;
using Microsoft.Extensions.Configuration;
using StockFlow.Functions.Plan;
using StockFlow.Providers;

namespace StockFlow.Runtime.Local;

/// <summary>
/// The optional configuration file (JSON): <c>--config FILE</c>, else <c>STOCKFLOW_CONFIG</c>, else
/// <c>stockflow.json</c> in the current folder when it exists. Its <c>Providers</c> section sets
/// base URLs, API keys, rate limits and retries (environment variables still win over it); its <c>Pipeline</c>
/// section the fan-out and the DuckDB memory limit (<see cref="PipelineSettings"/>); its <c>Schedules</c> array what
/// <c>stockflow serve</c> starts. Without a file every setting has its built-in default.
/// </summary>
public static class StockFlowConfiguration
{
    /// <summary>The environment variable naming the configuration file when <c>--config</c> is not given.</summary>
    public const string FileVariable = "STOCKFLOW_CONFIG";

    /// <summary>The file read from the current folder when neither <c>--config</c> nor <see cref="FileVariable"/> names one.</summary>
    public const string DefaultFileName = "stockflow.json";

    /// <summary>The configuration file's full path, or null when there is none (then the defaults apply).</summary>
    /// <exception cref="ConfigurationFileException">An explicitly named file (option or variable) is missing or is a folder.</exception>
    public static string? Locate(string? explicitPath)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            if (Directory.Exists(explicitPath))
            {
                throw new ConfigurationFileException($"The configuration file '{explicitPath}' is a folder. Pass --config with a JSON file (see README: Providers section).");
            }

            return File.Exists(explicitPath)
                ? Path.GetFullPath(explicitPath)
                : throw new ConfigurationFileException($"The configuration file '{explicitPath}' does not exist. Pass --config with an existing JSON file, or leave it out for the defaults.");
        }

        if (Environment.GetEnvironmentVariable(FileVariable) is { Length: > 0 } fromEnvironment)
        {
            return Locate(fromEnvironment);
        }

        return File.Exists(DefaultFileName) ? Path.GetFullPath(DefaultFileName) : null;
    }

    /// <exception cref="ConfigurationFileException">Missing, not JSON, or a value out of range.</exception>
    /// <summary>Only the <c>Providers</c> section of <see cref="Load"/>.</summary>
    public static ProviderOptions LoadProviderOptions(string? explicitPath) => Load(explicitPath).Providers;

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);

    /// <summary>Reads the file once: its <c>Providers</c> section and its <c>Pipeline</c> section.</summary>
    /// <exception cref="ConfigurationFileException">Missing, not JSON, or a value out of range.</exception>
    public static StockFlowSettings Load(string? explicitPath)
    {
        var path = Locate(explicitPath);
        if (path is null)
        {
            var defaults = ProviderOptions.Load();
            return new StockFlowSettings(defaults, PipelineSettings.Plan(null, defaults), PipelineSettings.DefaultDuckDbMemoryLimit);
        }

        try
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build();
            var providers = ProviderOptions.Load(configuration.GetSection(ProviderOptions.SectionName));
            var pipeline = configuration.GetSection(PipelineSettings.SectionName);
            return new StockFlowSettings(providers, PipelineSettings.Plan(pipeline, providers), PipelineSettings.DuckDbMemoryLimit(pipeline));
        }
        catch (InvalidDataException ex)
        {
            throw new ConfigurationFileException($"The configuration file '{path}' is not valid JSON ({Innermost(ex).Message}). Fix it, or leave --config out for the defaults.", ex);
        }
        catch (Exception ex) when (ex is FormatException or ProviderConfigurationException or ConfigurationFileException)
        {
            // Includes out-of-range limits (a negative rate or concurrency): the message names the setting.
            throw new ConfigurationFileException($"The configuration file '{path}' has a value that is not allowed: {ex.Message}", ex);
        }
    }
}

/// <summary>Everything the configuration file sets (each part holds its defaults where the file is silent).</summary>
/// <param name="Providers">The <c>Providers</c> section with the environment's <c>STOCKFLOW_*</c> variables over it.</param>
/// <param name="Plan">The <c>Pipeline</c> section's fan-out and the providers' request budget.</param>
/// <param name="DuckDbMemoryLimit">The memory limit of each local DuckDB database (transform, queries, crawler);
/// <see cref="PipelineSettings.DefaultDuckDbMemoryLimit"/> ("2GB") when the file does not set it.</param>
public sealed record StockFlowSettings(ProviderOptions Providers, PlanDefaults Plan, string DuckDbMemoryLimit);

/// <summary>
/// The <c>Pipeline</c> section: how the ingest Map fans out (<c>IngestMaxConcurrency</c>, <c>IngestBatchSize</c>,
/// <c>IngestToleratedFailurePercentage</c>) and how much memory the local Glue/Athena stand-ins may take
/// (<c>DuckDbMemoryLimit</c>). The provider's <c>RequestsPerSecond</c> is the budget of the whole fan-out.
/// </summary>
public static class PipelineSettings
{
    /// <summary>The configuration file's section these settings live in.</summary>
    public const string SectionName = "Pipeline";

    /// <summary>2 GB: what a G.1X Glue worker leaves a job comfortably; 8,000 symbols x 30 years completes within it (spilling).</summary>
    public const string DefaultDuckDbMemoryLimit = "2GB";

    /// <summary>The section's <c>DuckDbMemoryLimit</c>, or <see cref="DefaultDuckDbMemoryLimit"/> when it is empty.</summary>
    /// <exception cref="ConfigurationFileException">The value is not a size DuckDB takes (such as 512MB, 2GB, 1.5GiB).</exception>
    public static string DuckDbMemoryLimit(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var text = section["DuckDbMemoryLimit"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultDuckDbMemoryLimit;
        }

        // DuckDbOptions knows which sizes DuckDB takes (e.g. 512MB, 2GB, 1.5GiB).
        try
        {
            new GlueAthena.Local.DuckDb.DuckDbOptions { MemoryLimit = text }.CheckValid();
        }
        catch (ArgumentException)
        {
            throw new ConfigurationFileException($"{SectionName}:DuckDbMemoryLimit='{text}' must be a size such as 512MB, 2GB or 1.5GiB.");
        }

        return text;
    }

    /// <summary>
    /// The plan defaults with the section's fan-out: <c>IngestMaxConcurrency</c> (1-10,000, default 8 batches at once),
    /// <c>IngestBatchSize</c> (1-1,000 symbols, default 50), <c>IngestToleratedFailurePercentage</c> (0-100, default 10)
    /// and the providers' <c>RequestsPerSecond</c> as the whole fan-out's request budget.
    /// </summary>
    /// <param name="section">The <c>Pipeline</c> section; null = the defaults.</param>
    /// <param name="providers">The loaded provider options, whose request budget the plan shares out.</param>
    /// <exception cref="ConfigurationFileException">A value is not a number or is out of its range.</exception>
    public static PlanDefaults Plan(IConfiguration? section, ProviderOptions providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        var defaults = new PlanDefaults();
        var fanOut = defaults.FanOut;
        if (section is not null)
        {
            fanOut = new IngestFanOut(
                Whole(section, "IngestMaxConcurrency", fanOut.MaxConcurrency, 1, 10_000),
                Whole(section, "IngestBatchSize", fanOut.BatchSize, 1, 1_000),
                Percentage(section, "IngestToleratedFailurePercentage", fanOut.ToleratedFailurePercentage));
        }

        return defaults with { FanOut = fanOut, RequestsPerSecond = providers.Http.RequestsPerSecond };
    }

    private static int Whole(IConfiguration section, string key, int fallback, int min, int max)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ConfigurationFileException($"{SectionName}:{key}='{text}' must be a whole number from {min} to {max}.");
    }

    private static double Percentage(IConfiguration section, string key, double fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 100
            ? value
            : throw new ConfigurationFileException($"{SectionName}:{key}='{text}' must be a number from 0 to 100.");
    }
}
