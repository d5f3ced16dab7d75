namespace StockFlow.Runtime.Local.Tests;

public sealed class ConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stockflow-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_config_file_sets_provider_base_urls_and_limits()
    {
        var path = Path.Combine(_folder, "stockflow.json");
        File.WriteAllText(path, """{"Providers":{"YahooBaseUrl":"http://127.0.0.1:9000","RequestsPerSecond":5,"MaxConcurrency":3}}""");
        var options = StockFlowConfiguration.LoadProviderOptions(path);
        Assert.Equal(new Uri("http://127.0.0.1:9000/"), options.YahooBaseUrl);
        Assert.Equal(5, options.Http.RequestsPerSecond);
        Assert.Equal(3, options.Http.MaxConcurrency);
    }

    [Fact]
    public void A_missing_or_broken_config_file_is_a_clear_error()
    {
        Assert.Throws<ConfigurationFileException>(() => StockFlowConfiguration.LoadProviderOptions(Path.Combine(_folder, "nope.json")));
        var broken = Path.Combine(_folder, "broken.json");
        File.WriteAllText(broken, """{"Providers":{"YahooBaseUrl":"ftp://x"}}""");
        var error = Assert.ThrowsAny<Exception>(() => StockFlowConfiguration.LoadProviderOptions(broken));
        Assert.Contains("YahooBaseUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_duckdb_memory_limit_defaults_to_2GB_and_a_bad_size_is_named()
    {
        var path = Path.Combine(_folder, "memory.json");
        File.WriteAllText(path, """{"Pipeline":{"IngestBatchSize":50}}""");
        Assert.Equal("2GB", StockFlowConfiguration.Load(path).DuckDbMemoryLimit);
        File.WriteAllText(path, """{"Pipeline":{"DuckDbMemoryLimit":"512MB"}}""");
        Assert.Equal("512MB", StockFlowConfiguration.Load(path).DuckDbMemoryLimit);
        File.WriteAllText(path, """{"Pipeline":{"DuckDbMemoryLimit":"lots"}}""");
        var error = Assert.Throws<ConfigurationFileException>(() => StockFlowConfiguration.Load(path));
        Assert.Contains("'lots'", error.Message, StringComparison.Ordinal);
    }
}
