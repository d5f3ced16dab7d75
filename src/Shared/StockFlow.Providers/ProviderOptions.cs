using System.Globalization;
using Microsoft.Extensions.Configuration;
using StockFlow.Providers.Http;

namespace StockFlow.Providers;

/// <summary>
/// Where and how the network providers connect. Precedence: built-in defaults &lt; the configuration section
/// (e.g. "Providers" in a config file) &lt; environment variables STOCKFLOW_YAHOO_BASE_URL,
/// STOCKFLOW_STOOQ_BASE_URL and STOCKFLOW_STOOQ_API_KEY. Base URLs are scheme, host and port
/// (e.g. http://127.0.0.1:9000), so tests and mirrors can stand in for the real hosts.
/// </summary>
public sealed class ProviderOptions
{
    /// <summary>The configuration section: <c>Providers</c>.</summary>
    public const string SectionName = "Providers";

    /// <summary>The environment variable that overrides <see cref="YahooBaseUrl"/>.</summary>
    public const string YahooBaseUrlVariable = "STOCKFLOW_YAHOO_BASE_URL";

    /// <summary>The environment variable that overrides <see cref="StooqBaseUrl"/>.</summary>
    public const string StooqBaseUrlVariable = "STOCKFLOW_STOOQ_BASE_URL";

    /// <summary>The environment variable that sets <see cref="StooqApiKey"/>.</summary>
    public const string StooqApiKeyVariable = "STOCKFLOW_STOOQ_API_KEY";

    /// <summary>The default <see cref="UserAgent"/>.</summary>
    public const string DefaultUserAgent = "StockFlow/0.1 (+https://github.com/stockflow)";

    /// <summary>Yahoo's chart API host (<c>Providers:YahooBaseUrl</c>). Default: https://query2.finance.yahoo.com.</summary>
    public Uri YahooBaseUrl { get; set; } = new("https://query2.finance.yahoo.com");

    /// <summary>Stooq's host (<c>Providers:StooqBaseUrl</c>). Default: https://stooq.com.</summary>
    public Uri StooqBaseUrl { get; set; } = new("https://stooq.com");

    /// <summary>Stooq has asked for an API key since 2026; without one it answers an HTML page. Default: none.</summary>
    public string? StooqApiKey { get; set; }

    /// <summary>Stable and honest; never rotated to dodge limits. Default: <see cref="DefaultUserAgent"/>.</summary>
    public string UserAgent { get; set; } = DefaultUserAgent;

    /// <summary>Request budget, retries and timeouts of both network providers (keys of the same section).</summary>
    public HttpResilienceSettings Http { get; set; } = new();

    /// <summary>
    /// Defaults, then <paramref name="section"/> (keys YahooBaseUrl, StooqBaseUrl, StooqApiKey, UserAgent,
    /// RequestsPerSecond, MaxConcurrency, MaxRetryAttempts, BaseDelay, MaxDelay, MaxRetryAfter,
    /// AttemptTimeout, TotalTimeout; durations as "00:00:30"), then the environment.
    /// </summary>
    /// <param name="section">The <c>Providers</c> section; null = defaults and environment only.</param>
    /// <param name="environment">Reads a variable; null = the process environment.</param>
    /// <exception cref="ProviderConfigurationException">A value is not a usable URL, number or duration, or breaks a limit (e.g. RequestsPerSecond &lt;= 0).</exception>
    public static ProviderOptions Load(IConfiguration? section = null, Func<string, string?>? environment = null)
    {
        var options = new ProviderOptions();
        if (section is not null)
            options.Apply(section);
        options.ApplyEnvironment(environment ?? Environment.GetEnvironmentVariable);
        return options;
    }

    private void Apply(IConfiguration section)
    {
        if (section["YahooBaseUrl"] is { Length: > 0 } yahoo)
            YahooBaseUrl = ParseBaseUrl(yahoo, $"{SectionName}:YahooBaseUrl");
        if (section["StooqBaseUrl"] is { Length: > 0 } stooq)
            StooqBaseUrl = ParseBaseUrl(stooq, $"{SectionName}:StooqBaseUrl");
        if (section["StooqApiKey"] is { Length: > 0 } key)
            StooqApiKey = key;
        if (section["UserAgent"] is { Length: > 0 } agent)
            UserAgent = agent;
        Http.RequestsPerSecond = Number(section, "RequestsPerSecond", Http.RequestsPerSecond);
        Http.MaxConcurrency = (int)Number(section, "MaxConcurrency", Http.MaxConcurrency);
        Http.MaxRetryAttempts = (int)Number(section, "MaxRetryAttempts", Http.MaxRetryAttempts);
        Http.BaseDelay = Duration(section, "BaseDelay", Http.BaseDelay);
        Http.MaxDelay = Duration(section, "MaxDelay", Http.MaxDelay);
        Http.MaxRetryAfter = Duration(section, "MaxRetryAfter", Http.MaxRetryAfter);
        Http.AttemptTimeout = Duration(section, "AttemptTimeout", Http.AttemptTimeout);
        Http.TotalTimeout = Duration(section, "TotalTimeout", Http.TotalTimeout);
        Http.Check();
    }

    private void ApplyEnvironment(Func<string, string?> environment)
    {
        if (environment(YahooBaseUrlVariable) is { Length: > 0 } yahoo)
            YahooBaseUrl = ParseBaseUrl(yahoo, YahooBaseUrlVariable);
        if (environment(StooqBaseUrlVariable) is { Length: > 0 } stooq)
            StooqBaseUrl = ParseBaseUrl(stooq, StooqBaseUrlVariable);
        if (environment(StooqApiKeyVariable) is { Length: > 0 } key)
            StooqApiKey = key;
    }

    /// <summary>An absolute http(s) URL without query or fragment; a path prefix is kept (proxies), a trailing '/' added.</summary>
    /// <param name="text">The configured value.</param>
    /// <param name="settingName">The key or variable it came from, for the error message.</param>
    /// <exception cref="ProviderConfigurationException">The text is not such a URL.</exception>
    public static Uri ParseBaseUrl(string text, string settingName)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ProviderConfigurationException($"{settingName}='{text}' is not an absolute http(s) URL such as http://127.0.0.1:9000.");
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            throw new ProviderConfigurationException($"{settingName}='{text}' must be scheme, host and port only (no query, fragment or credentials).");
        var path = uri.AbsolutePath.EndsWith('/') ? uri.AbsolutePath : uri.AbsolutePath + "/";
        return new UriBuilder(uri.Scheme, uri.Host, uri.Port, path).Uri;
    }

    private static double Number(IConfiguration section, string key, double fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            return value;
        throw new ProviderConfigurationException($"{SectionName}:{key}='{text}' is not a number.");
    }

    private static TimeSpan Duration(IConfiguration section, string key, TimeSpan fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.Zero)
            return value;
        throw new ProviderConfigurationException($"{SectionName}:{key}='{text}' is not a duration like 00:00:30.");
    }
}
