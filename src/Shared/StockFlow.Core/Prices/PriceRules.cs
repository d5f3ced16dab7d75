using System.Globalization;

namespace StockFlow.Core.Prices;

/// <summary>
/// The cleaning rules' limits and reason texts, defined once. <see cref="PriceRowValidator"/> applies them at ingest;
/// the transform's <c>sql/transform/clean_prices.sql</c> gets the same limits through its <c>${name}</c> placeholders
/// (<see cref="SqlValues"/>) and spells the same reasons (a test feeds one corpus through both engines).
/// The limits keep every metric finite: with prices in [<see cref="MinPrice"/>, <see cref="MaxPrice"/>] a daily return
/// is at most 1e15 and its square, which STDDEV_SAMP sums, at most 1e30; a volume up to <see cref="MaxVolume"/> is an
/// exact double and fits a BIGINT, so both engines read the same number.
/// </summary>
public static class PriceRules
{
    /// <summary>The raw and quarantine files' columns, in this order.</summary>
    public const int FieldCount = 7;

    /// <summary>The smallest price (open, high, low, close, adj close) accepted; below it, but above 0, is out of range.</summary>
    public const double MinPrice = 0.000001;

    /// <summary>The largest price accepted: far above any listed share (BRK-A trades below 1e6).</summary>
    public const double MaxPrice = 1_000_000_000;

    /// <summary>The largest volume accepted: 2^53 - 1, the largest whole number a double holds exactly.</summary>
    public const long MaxVolume = (1L << 53) - 1;

    /// <summary>The first trading date accepted.</summary>
    public static DateOnly EarliestDate { get; } = new(1900, 1, 1);

    /// <summary>Reason: the date is missing or not <c>yyyy-MM-dd</c>.</summary>
    public const string DateInvalid = "date missing or does not parse";
    /// <summary>Reason: the date is before <see cref="EarliestDate"/> or after the last completed weekday.</summary>
    public const string DateOutOfRange = "date out of range";
    /// <summary>Reason: the high is below the low.</summary>
    public const string HighBelowLow = "high < low";
    /// <summary>Reason: the volume is not a number.</summary>
    public const string VolumeNonNumeric = "volume non-numeric";
    /// <summary>Reason: the volume is negative.</summary>
    public const string VolumeNegative = "volume negative";
    /// <summary>Reason: the volume has a fraction.</summary>
    public const string VolumeNotWhole = "volume not a whole number";
    /// <summary>Reason: the volume does not fit a 64-bit integer.</summary>
    public const string VolumeOutOfRange = "volume out of range";
    /// <summary>Reason: the adjusted close is not a number.</summary>
    public const string AdjCloseNonNumeric = "adj close non-numeric";
    /// <summary>Reason: the adjusted close is zero or negative.</summary>
    public const string AdjCloseNotPositive = "adj close <= 0";
    /// <summary>Reason: the adjusted close is not a finite number StockFlow stores.</summary>
    public const string AdjCloseOutOfRange = "adj close out of range";

    /// <summary>An import held the same date more than once: the earlier rows are quarantined with this reason.</summary>
    public const string DuplicateDate = "duplicate date, replaced by a later row";

    /// <summary>Reason: a price column (<paramref name="column"/>) is missing or not a number.</summary>
    public static string PriceMissing(string column) => column + " missing or non-numeric";

    /// <summary>Reason: a price column (<paramref name="column"/>) is zero or negative.</summary>
    public static string PriceNotPositive(string column) => column + " <= 0";

    /// <summary>Reason: a price column (<paramref name="column"/>) is not a finite number StockFlow stores.</summary>
    public static string PriceOutOfRange(string column) => column + " out of range";

    /// <summary>A record with more fields than its file's header (<paramref name="expected"/>) names.</summary>
    public static string WrongFieldCount(int count, int expected = FieldCount) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} fields, expected {expected}");

    /// <summary>The last weekday before today (UTC): today's session may not have closed yet, and no later row is a real one.</summary>
    public static DateOnly LastCompletedWeekday(DateTimeOffset now)
    {
        var day = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day = day.AddDays(-1);
        }

        return day;
    }

    /// <summary>The latest trading date accepted at <paramref name="clock"/>'s now.</summary>
    public static DateOnly LastTradeDate(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return LastCompletedWeekday(clock.GetUtcNow());
    }

    /// <summary>The SQL text of each <c>${name}</c> placeholder of clean_prices.sql.</summary>
    public static IReadOnlyDictionary<string, string> SqlValues(DateOnly lastTradeDate) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["min_trade_date"] = SqlDate(EarliestDate),
        ["last_trade_date"] = SqlDate(lastTradeDate),
        ["min_price"] = SqlDouble(MinPrice),
        ["max_price"] = SqlDouble(MaxPrice),
        ["max_volume"] = MaxVolume.ToString(CultureInfo.InvariantCulture),
    };

    private static string SqlDate(DateOnly date) => "DATE '" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "'";

    // A DOUBLE literal in every engine (an exponent makes DuckDB, Spark and Trino type it DOUBLE, not DECIMAL).
    private static string SqlDouble(double value) => value.ToString("0.0##############E+0", CultureInfo.InvariantCulture);
}
