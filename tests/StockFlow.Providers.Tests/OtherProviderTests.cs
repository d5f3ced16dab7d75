using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Configuration;
using StockFlow.Core.Prices;
using StockFlow.Core.Sample;
using StockFlow.Providers.Stooq;
using StockFlow.Storage;

namespace StockFlow.Providers.Tests;

public sealed class OtherProviderTests : IDisposable
{
    private readonly Stub _stub = new();

    public void Dispose() => _stub.Dispose();

    private static readonly PriceRequest Jan = new("AAPL", new(2024, 1, 2), new(2024, 1, 3));

    [Theory]
    [InlineData("AAPL", "aapl.us")]
    [InlineData("BRK-B", "brk-b.us")]
    [InlineData("OCDO.L", "ocdo.uk")]
    [InlineData("7203.T", "7203.jp")]
    [InlineData("^GSPC", "^spx")]
    [InlineData("EURUSD=X", "eurusd")]
    [InlineData("GC=F", "gc.f")]
    public void Stooq_symbols_are_mapped(string symbol, string expected) => Assert.Equal(expected, StooqSymbolMapper.ToStooq(symbol));

    [Fact]
    public async Task Stooq_csv_is_read_filtered_and_the_key_sent()
    {
        _stub.Respond("/q/d/l/", 200, "Date,Open,High,Low,Close,Volume\r\n2024-01-01,1,2,0.5,1.5,10\r\n2024-01-02,1,2,0.5,1.5,10\r\n2024-01-03,1,2,0.5,1.5,\r\n", "text/csv");
        var result = await _stub.Stooq(apiKey: "k&1").FetchAsync(Jan, CancellationToken.None);
        Assert.Equal(["2024-01-02", "2024-01-03"], result.Rows.Select(r => r.Date));
        Assert.All(result.Rows, r => Assert.True(PriceRowValidator.Validate(r).IsValid));
        var query = System.Web.HttpUtility.ParseQueryString(_stub.Network.Requests.Single().RequestUri!.Query);
        Assert.Equal("aapl.us", query["s"]);
        Assert.Equal("20240102", query["d1"]);
        Assert.Equal("20240103", query["d2"]);
        Assert.Equal("k&1", query["apikey"]);
    }

    [Theory]
    [InlineData("No data", typeof(SymbolNotFoundException))]
    [InlineData("Exceeded the daily hits limit", typeof(ProviderThrottledException))]
    [InlineData("<html><body>Get your apikey</body></html>", typeof(ProviderUnavailableException))]
    [InlineData("Something else entirely", typeof(InvalidProviderResponseException))]
    public async Task Stooq_failures_arrive_as_200_and_are_told_apart_by_the_body(string body, Type expected)
    {
        _stub.Respond("/q/d/l/", 200, body, "text/plain");
        var error = await Assert.ThrowsAnyAsync<ProviderException>(() => _stub.Stooq().FetchAsync(Jan, CancellationToken.None));
        Assert.IsType(expected, error);
        Assert.Equal("AAPL", error.Symbol);
    }

    [Fact]
    public async Task Sample_provider_returns_labelled_synthetic_rows_that_validate()
    {
        var result = await new SampleProvider().FetchAsync(new PriceRequest("acmex", new(2024, 1, 1), new(2024, 3, 31)), CancellationToken.None);
        Assert.Equal("ACMEX", result.Symbol);
        Assert.True(result.Metadata.IsSynthetic);
        var bars = result.Rows.Select(r => PriceRowValidator.Validate(r).Bar!).ToList();
        Assert.Equal(SampleMarket.Generate("ACMEX", new(2024, 1, 1), new(2024, 3, 31)), bars);
        Assert.StartsWith("synthetic:ACMEX#", result.Rows[0].Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Landing_csv_is_read_from_the_bucket_from_the_range_start_and_bad_rows_kept_for_quarantine()
    {
        var store = new MemoryStore();
        store.Put("lake", "landing/AAPL.csv", "\uFEFFDate,Open,High,Low,Close,Adj Close,Volume\r\n2024-01-01,1,2,0.5,1.5,1.4,10\r\n2024-01-02,1,2,0.5,1.5,1.4,10\r\nnot-a-date,1,2,0.5,1.5,1.4,10\r\n2024-01-05,1,2,0.5,1.5,1.4,10\r\n");
        using var providers = new PriceProviderSource(() => new ProviderOptions(), store, "lake");
        using var lease = providers.Lease("csv", null);
        var result = await lease.Provider.FetchAsync(Jan, CancellationToken.None);
        // Rows after the range stay: only the ingest knows which of them are merely not asked for and which are
        // after the last completed weekday ("date out of range").
        Assert.Equal(["2024-01-02", "not-a-date", "2024-01-05"], result.Rows.Select(r => r.Date));
        Assert.Equal("landing/AAPL.csv:4", result.Rows[1].Source);
    }

    [Fact]
    public async Task A_landing_file_inside_the_range_is_returned_whole_in_file_order()
    {
        var store = new MemoryStore();
        store.Put("lake", "landing/AAPL.csv", "Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-03,1,2,0.5,1.5,1.5,10\n2024-01-02,1,2,0.5,1.5,,10\nnot-a-date,1,2,0.5,1.5,1.4,10\n");
        var result = await new LandingCsvProvider(store, "lake").FetchAsync(Jan, CancellationToken.None);
        Assert.Equal(["2024-01-03", "2024-01-02", "not-a-date"], result.Rows.Select(r => r.Date));
        Assert.Equal(("1.5", "1.5", ""), (result.Rows[0].Close, result.Rows[0].AdjClose, result.Rows[1].AdjClose));
    }

    [Fact]
    public async Task A_missing_landing_file_is_symbol_not_found_and_a_non_csv_is_invalid()
    {
        var store = new MemoryStore();
        var provider = new LandingCsvProvider(store, "lake");
        var missing = await Assert.ThrowsAsync<SymbolNotFoundException>(() => provider.FetchAsync(Jan, CancellationToken.None));
        Assert.Contains("landing/AAPL.csv", missing.Message, StringComparison.Ordinal);
        store.Put("lake", "landing/AAPL.csv", "hello,world\n1,2\n");
        await Assert.ThrowsAsync<InvalidProviderResponseException>(() => provider.FetchAsync(Jan, CancellationToken.None));
    }

    [Fact]
    public void The_factory_knows_four_providers_and_names_them_when_asked_for_another()
    {
        using var providers = new PriceProviderSource(() => new ProviderOptions(), new MemoryStore(), "b");
        foreach (var name in PriceProviders.Names)
        {
            using var lease = providers.Lease(name, null);
            Assert.Equal(name, lease.Provider.Name);
        }

        var error = Assert.Throws<UnknownProviderException>(() => providers.Lease("bloomberg", null));
        Assert.Contains("Valid providers: sample, yahoo, stooq or csv.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_default_then_config_section_then_environment()
    {
        var defaults = ProviderOptions.Load(environment: _ => null);
        Assert.Equal(new Uri("https://query2.finance.yahoo.com/"), defaults.YahooBaseUrl);
        Assert.Equal(new Uri("https://stooq.com/"), defaults.StooqBaseUrl);
        Assert.Equal(2, defaults.Http.RequestsPerSecond);

        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Providers:YahooBaseUrl"] = "http://127.0.0.1:9000",
            ["Providers:StooqBaseUrl"] = "http://127.0.0.1:9001",
            ["Providers:RequestsPerSecond"] = "0.5",
            ["Providers:AttemptTimeout"] = "00:00:10",
        }).Build().GetSection(ProviderOptions.SectionName);
        var fromConfig = ProviderOptions.Load(config, _ => null);
        Assert.Equal(new Uri("http://127.0.0.1:9000/"), fromConfig.YahooBaseUrl);
        Assert.Equal(0.5, fromConfig.Http.RequestsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(10), fromConfig.Http.AttemptTimeout);

        var env = new Dictionary<string, string> { ["STOCKFLOW_YAHOO_BASE_URL"] = "http://127.0.0.1:9100", ["STOCKFLOW_STOOQ_BASE_URL"] = "http://localhost:9101" };
        var fromEnv = ProviderOptions.Load(config, name => env.GetValueOrDefault(name));
        Assert.Equal(new Uri("http://127.0.0.1:9100/"), fromEnv.YahooBaseUrl);
        Assert.Equal(new Uri("http://localhost:9101/"), fromEnv.StooqBaseUrl);
    }

    [Theory]
    [InlineData("ftp://x")]
    [InlineData("not a url")]
    [InlineData("http://h:1/?q=1")]
    public void A_bad_base_url_is_refused_naming_the_setting(string url)
    {
        var error = Assert.Throws<ProviderConfigurationException>(() => ProviderOptions.Load(environment: n => n == "STOCKFLOW_YAHOO_BASE_URL" ? url : null));
        Assert.Contains("STOCKFLOW_YAHOO_BASE_URL", error.Message, StringComparison.Ordinal);
    }

    private sealed class MemoryStore : IObjectStore
    {
        private readonly Dictionary<string, byte[]> _objects = new(StringComparer.Ordinal);

        public void Put(string bucket, string key, string text) => _objects[bucket + "/" + key] = Encoding.UTF8.GetBytes(text);

        public Task PutAsync(string bucket, string key, Stream content, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Stream?> GetAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
            Task.FromResult<Stream?>(_objects.TryGetValue(bucket + "/" + key, out var bytes) ? new MemoryStream(bytes) : null);

        public async IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.CompletedTask;
            yield break;
        }

        public Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> PutIfAbsentAsync(string bucket, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<TaggedObject?> GetTaggedAsync(string bucket, string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> DeleteIfMatchAsync(string bucket, string key, string eTag, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
