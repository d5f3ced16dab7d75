namespace StockFlow.Core.Prices;

/// <summary>
/// The cleaning rules (docs: <see cref="PriceRules"/> holds the limits and reasons; <c>sql/transform/clean_prices.sql</c>
/// applies the same rules in the same order in the transform). A row is rejected, with the first reason that applies:
/// a record that is not one row of the seven columns; a date that is missing or does not parse (yyyy-MM-dd, or the
/// other layouts <see cref="PriceFieldParser.TryParseDate"/> accepts) or lies outside [<see cref="PriceRules.EarliestDate"/>,
/// the last completed weekday]; open/high/low/close missing or non-numeric, then &lt;= 0, then outside
/// [<see cref="PriceRules.MinPrice"/>, <see cref="PriceRules.MaxPrice"/>]; high &lt; low; a volume that is given but
/// non-numeric, negative, fractional or above <see cref="PriceRules.MaxVolume"/>; an adj close that is given but
/// non-numeric, &lt;= 0 or out of the price range. A missing volume is 0 (indices, FX pairs and Stooq index files carry
/// none, and no metric uses it); a missing adj close stays null (adj_close = close downstream). Open and close outside
/// [low, high] are accepted: providers do deliver such bars (auction prints).
/// </summary>
public sealed class PriceRowValidator
{
    /// <param name="lastTradeDate">The latest date accepted: <see cref="PriceRules.LastCompletedWeekday"/> of the run's clock.</param>
    public PriceRowValidator(DateOnly lastTradeDate)
    {
        LastTradeDate = lastTradeDate;
    }

    /// <summary>The latest date accepted.</summary>
    public DateOnly LastTradeDate { get; }

    /// <summary>The rules as of <paramref name="clock"/>'s now.</summary>
    public static PriceRowValidator At(TimeProvider clock) => new(PriceRules.LastTradeDate(clock));

    /// <summary>Validates with the rules as of the system clock's now.</summary>
    public static PriceRowValidation Validate(RawPriceRow row) => At(TimeProvider.System).Check(row);

    /// <summary>Validates a row and returns the bar or the rejection with its reason.</summary>
    public PriceRowValidation Check(RawPriceRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var reason = Check(row, out var bar);
        return reason is null ? PriceRowValidation.Accepted(bar!) : PriceRowValidation.Rejected(row, reason);
    }

    /// <summary>Validates every row, keeping the input order in both lists.</summary>
    public ValidatedRows CheckAll(IEnumerable<RawPriceRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var bars = new List<DailyBar>(rows.TryGetNonEnumeratedCount(out var count) ? count : 0);
        var rejections = new List<Rejection>();
        foreach (var row in rows)
        {
            ArgumentNullException.ThrowIfNull(row);
            // The same rules as Check, without an outcome object per row.
            var reason = Check(row, out var bar);
            if (reason is null)
                bars.Add(bar!);
            else
                rejections.Add(new Rejection(row, reason));
        }
        return new ValidatedRows(bars, rejections);
    }

    /// <summary>
    /// Validates one import: <see cref="CheckAll"/>, and of several valid rows with the same date the last one wins while
    /// each earlier one is rejected with <see cref="PriceRules.DuplicateDate"/>, so every row is either a bar or a counted
    /// rejection. The bars come sorted by date, one per date.
    /// </summary>
    public ValidatedRows CheckImport(IEnumerable<RawPriceRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var rejections = new List<Rejection>();
        var latest = new Dictionary<DateOnly, (DailyBar Bar, RawPriceRow Row)>();
        foreach (var row in rows)
        {
            ArgumentNullException.ThrowIfNull(row);
            var reason = Check(row, out var bar);
            if (reason is not null)
            {
                rejections.Add(new Rejection(row, reason));
                continue;
            }

            if (latest.TryGetValue(bar!.Date, out var earlier))
                rejections.Add(new Rejection(earlier.Row, PriceRules.DuplicateDate));
            latest[bar.Date] = (bar, row);
        }

        var bars = latest.Values.Select(v => v.Bar).ToList();
        bars.Sort(static (a, b) => a.Date.CompareTo(b.Date));
        return new ValidatedRows(bars, rejections);
    }

    /// <summary>The rules, in clean_prices.sql's order: null and the bar, or the reason the row is rejected.</summary>
    private string? Check(RawPriceRow row, out DailyBar? bar)
    {
        bar = null;
        if (row.RecordError is not null)
            return row.RecordError;
        if (!PriceFieldParser.TryParseDate(row.Date, out var date))
            return PriceRules.DateInvalid;
        if (date < PriceRules.EarliestDate || date > LastTradeDate)
            return PriceRules.DateOutOfRange;

        var parsed = PriceFieldParser.TryParseNumber(row.Open, out var open);
        parsed &= PriceFieldParser.TryParseNumber(row.High, out var high);
        parsed &= PriceFieldParser.TryParseNumber(row.Low, out var low);
        parsed &= PriceFieldParser.TryParseNumber(row.Close, out var close);
        if (!parsed)
        {
            return !PriceFieldParser.TryParseNumber(row.Open, out _) ? PriceRules.PriceMissing("open")
                : !PriceFieldParser.TryParseNumber(row.High, out _) ? PriceRules.PriceMissing("high")
                : !PriceFieldParser.TryParseNumber(row.Low, out _) ? PriceRules.PriceMissing("low")
                : PriceRules.PriceMissing("close");
        }

        if (open <= 0)
            return PriceRules.PriceNotPositive("open");
        if (high <= 0)
            return PriceRules.PriceNotPositive("high");
        if (low <= 0)
            return PriceRules.PriceNotPositive("low");
        if (close <= 0)
            return PriceRules.PriceNotPositive("close");
        if (!InRange(open))
            return PriceRules.PriceOutOfRange("open");
        if (!InRange(high))
            return PriceRules.PriceOutOfRange("high");
        if (!InRange(low))
            return PriceRules.PriceOutOfRange("low");
        if (!InRange(close))
            return PriceRules.PriceOutOfRange("close");
        if (high < low)
            return PriceRules.HighBelowLow;

        long volume = 0;
        if (!PriceFieldParser.IsMissing(row.Volume))
        {
            if (!PriceFieldParser.TryParseNumber(row.Volume, out var number))
                return PriceRules.VolumeNonNumeric;
            if (number < 0)
                return PriceRules.VolumeNegative;
            if (Math.Floor(number) != number)
                return PriceRules.VolumeNotWhole;
            if (number > PriceRules.MaxVolume)
                return PriceRules.VolumeOutOfRange;
            volume = (long)number;
        }

        double? adjClose = null;
        if (!PriceFieldParser.IsMissing(row.AdjClose))
        {
            if (!PriceFieldParser.TryParseNumber(row.AdjClose, out var adj))
                return PriceRules.AdjCloseNonNumeric;
            if (adj <= 0)
                return PriceRules.AdjCloseNotPositive;
            if (!InRange(adj))
                return PriceRules.AdjCloseOutOfRange;
            adjClose = adj;
        }

        bar = new DailyBar(date, open, high, low, close, adjClose, volume);
        return null;
    }

    private static bool InRange(double price) => price is >= PriceRules.MinPrice and <= PriceRules.MaxPrice;
}

/// <summary>The accepted bars and the rejected rows of one batch.</summary>
public sealed record ValidatedRows(IReadOnlyList<DailyBar> Bars, IReadOnlyList<Rejection> Rejections);
