using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Core.Lake;
using StockFlow.Core.Sample;
using StockFlow.Core.Symbols;
using StockFlow.Functions.Hosting;
using StockFlow.Functions.Lake;
using StockFlow.Providers;
using StockFlow.Reporting.Csv;
using StockFlow.Storage;

namespace StockFlow.Functions.Plan;

/// <summary>
/// The <c>plan</c> function: from the execution input and the watermarks, one ingest item per symbol with
/// the range still missing, written to the lake as the ingest Map's work list (JSON Lines); it answers with
/// the list's key and counts only, so its output does not grow with the number of symbols. No explicit
/// <c>from</c> means an incremental run (watermark + 1 day, or the default history for a new symbol); an
/// explicit <c>from</c> is a backfill of that range.
/// </summary>
public sealed class PlanHandler(IObjectStore store, TimeProvider clock, PlanDefaults? defaults = null) : ILambdaHandler
{
    private readonly PlanDefaults _defaults = defaults ?? new PlanDefaults();

    /// <summary>The function's name: its <c>_HANDLER</c> on AWS, its <c>FunctionName</c> locally.</summary>
    public const string FunctionName = "plan";

    /// <inheritdoc/>
    public string Name => FunctionName;

    /// <inheritdoc/>
    public async Task<JsonNode?> HandleAsync(JsonNode? payload, CancellationToken cancellationToken)
    {
        var plan = HandlerJson.Read<PlanPayload>(payload, Name);
        return HandlerJson.Write(await PlanAsync(plan, cancellationToken));
    }

    /// <summary>Writes the work list and answers with its key, the counts and the fan-out.</summary>
    /// <exception cref="InvalidPayloadException">An unknown provider, a bad date range or landing key, or no symbols at all.</exception>
    /// <exception cref="InvalidSymbolException">A symbol breaks the symbol rules (the message lists every bad one).</exception>
    /// <exception cref="MissingLakeObjectException">The request's <c>symbolsKey</c> names no object.</exception>
    public async Task<PlanResult> PlanAsync(PlanPayload payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var executionName = ExecutionNames.Validate(payload.ExecutionName);
        var request = payload.Request ?? new PipelineRequest();
        var landing = request.LandingKeys is { Count: > 0 };
        if (!PriceProviders.TryNormalize(request.Provider ?? (landing ? PriceProviders.Csv : _defaults.Provider), out var provider))
        {
            throw new InvalidPayloadException($"Unknown provider '{request.Provider}'. Use {PriceProviders.Listed}.");
        }

        var lastCompleted = LastCompletedWeekday(clock.GetUtcNow());
        var to = request.To ?? lastCompleted;
        var from = request.From;
        if (from > to)
        {
            throw new InvalidPayloadException($"The range is empty: from {from:yyyy-MM-dd} is after to {to:yyyy-MM-dd}.");
        }

        // A range in the future would move the watermarks past today and every later daily run would find nothing new.
        if (to > lastCompleted)
        {
            throw new InvalidPayloadException(
                $"'to' {Format(to)} is after the last completed weekday {Format(lastCompleted)}: prices after it do not exist yet.");
        }

        if (from < _defaults.EarliestDate)
        {
            throw new InvalidPayloadException($"'from' {Format(from.Value)} is before {Format(_defaults.EarliestDate)}, the earliest date StockFlow stores.");
        }

        if (new[] { request.Symbols is { Count: > 0 }, request.SymbolsKey is not null, landing }.Count(given => given) > 1)
        {
            throw new InvalidPayloadException("Give one of 'symbols', 'symbolsKey' or 'landingKeys', not several.");
        }

        if (landing && provider != PriceProviders.Csv)
        {
            throw new InvalidPayloadException($"'landingKeys' names landing files, which only the csv provider imports, not '{provider}'.");
        }

        var symbols = request.SymbolsKey is { } listKey
            ? ValidateSymbols(await SymbolListAsync(payload.Bucket, listKey, cancellationToken))
            : request.Symbols is { Count: > 0 }
                ? ValidateSymbols(request.Symbols)
                : landing
                    ? ValidateSymbols(request.LandingKeys!.Select(LandingSymbol))
                    : await DefaultSymbolsAsync(provider, payload.Bucket, cancellationToken);
        if (symbols.Count == 0)
        {
            throw new InvalidPayloadException(provider == PriceProviders.Csv
                ? "No symbols to ingest: the landing/ prefix has no <SYMBOL>.csv files (use --source DIR)."
                : "No symbols to ingest.");
        }

        // Landing files are re-read whole: a user who drops a corrected file expects it to count.
        var fullHistoryFrom = provider == PriceProviders.Csv ? _defaults.EarliestDate : to.AddYears(-_defaults.HistoryYears).AddDays(1);
        var watermarks = from is null && provider != PriceProviders.Csv
            ? await WatermarkBook.ReadAsync(store, payload.Bucket, cancellationToken)
            : null;
        var itemsKey = LakeKeys.IngestItems(executionName);
        using (var lines = new MemoryStream())
        {
            foreach (var symbol in symbols)
            {
                var symbolFrom = from ?? fullHistoryFrom;
                if (watermarks?.Find(symbol) is { } watermark && watermark.LastDate >= symbolFrom)
                {
                    symbolFrom = watermark.LastDate.AddDays(1);
                }

                JsonSerializer.Serialize(lines, new IngestItem(symbol, symbolFrom, to), HandlerJson.TypeInfo<IngestItem>());
                lines.WriteByte((byte)'\n');
            }

            await store.PutAsync(payload.Bucket, itemsKey, lines.GetBuffer().AsMemory(0, (int)lines.Length), cancellationToken);
        }

        var fanOut = _defaults.FanOut;
        // Network providers get a share of the request budget per batch; together they never exceed it.
        double? perBatchRate = PriceProviders.UsesNetwork(provider) ? _defaults.RequestsPerSecond / fanOut.MaxConcurrency : null;
        var period = new AnalysisPeriod(from ?? fullHistoryFrom, to);
        var label = provider == PriceProviders.Sample ? $"{SampleMarket.Label} sample data, not market prices" : $"{provider} prices";
        return new PlanResult(itemsKey, LakeKeys.IngestResultsPrefix(executionName), symbols.Count, period, provider, label, ReportCsv.QueryNames, fanOut,
            new IngestBatchInput(provider, payload.Bucket, executionName, Backfill: from is not null, perBatchRate));
    }

    private async Task<IReadOnlyList<string>> DefaultSymbolsAsync(string provider, string bucket, CancellationToken cancellationToken)
    {
        if (provider != PriceProviders.Csv)
        {
            return provider == PriceProviders.Sample ? SampleMarket.DefaultSymbols : _defaults.Watchlist;
        }

        var symbols = new List<string>();
        await foreach (var item in store.ListAsync(bucket, LakeKeys.LandingPrefix, cancellationToken))
        {
            var name = item.Key[LakeKeys.LandingPrefix.Length..];
            if (name.Contains('/', StringComparison.Ordinal) || !name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            symbols.Add(SymbolValidator.Validate(name[..^4]));
        }

        return symbols;
    }

    /// <summary>
    /// The symbol of a landing file's key, <c>landing/&lt;SYMBOL&gt;.csv</c>. S3 event notifications URL-encode keys
    /// (<c>^GSPC</c> arrives as <c>%5EGSPC</c>), so an encoded key is decoded first.
    /// </summary>
    public static string LandingSymbol(string key)
    {
        var decoded = key.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(key) : key;
        var name = decoded.StartsWith(LakeKeys.LandingPrefix, StringComparison.Ordinal) ? decoded[LakeKeys.LandingPrefix.Length..] : null;
        if (name is null || name.Contains('/', StringComparison.Ordinal) || !name.EndsWith(".csv", StringComparison.Ordinal) || name.Length == 4)
        {
            throw new InvalidPayloadException(
                $"'landingKeys' must name files {LakeKeys.LandingPrefix}<SYMBOL>.csv (directly under {LakeKeys.LandingPrefix}), got '{key}'.");
        }

        var symbol = name[..^4];
        // The csv provider reads landing/<SYMBOL>.csv with the symbol as validated (upper case): another spelling would not be found.
        if (SymbolValidator.TryValidate(symbol, out var normalized, out _) && !string.Equals(normalized, symbol, StringComparison.Ordinal))
        {
            throw new InvalidPayloadException($"The landing file '{key}' must be named {LakeKeys.Landing(normalized)} (the symbol in upper case).");
        }

        return symbol;
    }

    private async Task<IReadOnlyList<string>> SymbolListAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        if (!LakeKeys.IsSafe(key))
        {
            throw new InvalidPayloadException($"'symbolsKey' must be a key inside the lake such as {LakeKeys.SymbolListsPrefix}market.txt, got '{key}'.");
        }

        var text = await store.GetTextAsync(bucket, key, cancellationToken)
            ?? throw new MissingLakeObjectException($"The symbol list {key} named by 'symbolsKey' is not in the lake.");
        return text.Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static List<string> ValidateSymbols(IEnumerable<string> symbols)
    {
        var valid = new List<string>();
        var problems = new List<(string Symbol, string Error)>();
        foreach (var symbol in symbols)
        {
            if (SymbolValidator.TryValidate(symbol, out var normalized, out var error))
            {
                if (!valid.Contains(normalized, StringComparer.Ordinal))
                {
                    valid.Add(normalized);
                }
            }
            else
            {
                problems.Add((symbol, error));
            }
        }

        if (problems.Count == 0)
        {
            return valid;
        }

        // Name the first bad symbol and its rule; list the others so one run shows every typo.
        var others = problems.Skip(1).Select(p => $"'{p.Symbol}' ({p.Error})").ToList();
        throw new InvalidSymbolException(problems[0].Symbol,
            problems[0].Error + (others.Count == 0 ? string.Empty : "; also invalid: " + string.Join(", ", others)));
    }

    /// <summary>The last weekday before today (UTC): today's session may not have closed yet.</summary>
    public static DateOnly LastCompletedWeekday(DateTimeOffset now)
    {
        var day = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day = day.AddDays(-1);
        }

        return day;
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>
/// Defaults of a plan when the input leaves things out. A new instance holds the defaults each property names; the
/// local runtime fills <see cref="FanOut"/> and <see cref="RequestsPerSecond"/> from the configuration file, and on AWS
/// the bootstrap uses a new instance.
/// </summary>
public sealed record PlanDefaults
{
    /// <summary>The provider of a request that names none (and is not a landing upload, which is <c>csv</c>). Default
    /// <see cref="PriceProviders.Sample"/>: offline, synthetic prices.</summary>
    public string Provider { get; init; } = PriceProviders.Sample;

    /// <summary>Years of history a new symbol gets (the default run: 20 symbols × 5 years). Default 5; the csv
    /// provider takes the whole file instead.</summary>
    public int HistoryYears { get; init; } = 5;

    /// <summary>The earliest trade date StockFlow stores: a <c>from</c> before it is refused, and the csv provider
    /// imports from it. Default 1900-01-01.</summary>
    public DateOnly EarliestDate { get; init; } = new(1900, 1, 1);

    /// <summary>Symbols for the network providers (Yahoo, Stooq) when none are given. Default ten US large caps; the
    /// sample provider has its own 20 (<c>SampleMarket.DefaultSymbols</c>).</summary>
    public IReadOnlyList<string> Watchlist { get; init; } =
        ["AAPL", "MSFT", "AMZN", "GOOGL", "META", "NVDA", "JPM", "JNJ", "XOM", "PG"];

    /// <summary>How the ingest Map fans out (configuration section <c>Pipeline</c>). Default 8 batches at once, 50 symbols
    /// a batch, 10 % failed batches tolerated.</summary>
    public IngestFanOut FanOut { get; init; } = new(MaxConcurrency: 8, BatchSize: 50, ToleratedFailurePercentage: 10);

    /// <summary>The network provider's request budget for the whole fan-out, in requests per second (configuration
    /// <c>Providers:RequestsPerSecond</c>); each batch gets its share. Default 2.</summary>
    public double RequestsPerSecond { get; init; } = 2;
}
