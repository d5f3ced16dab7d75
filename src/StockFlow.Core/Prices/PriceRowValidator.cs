namespace StockFlow.Core.Prices;

/// <summary>
/// The cleaning rules of the architecture (§3 "Cleaning rules"). A row is rejected when:
/// its date does not parse (yyyy-MM-dd, or the other layouts <see cref="PriceFieldParser.TryParseDate"/> accepts);
/// any of open/high/low/close is missing, non-numeric or &lt;= 0; high &lt; low; adj close is present but
/// non-numeric or &lt;= 0; volume is non-numeric or negative. Empty or <c>null</c> Adj Close is accepted and
/// kept as null (adj_close = close downstream). A missing volume follows <see cref="MissingVolumePolicy"/>
/// (default: accepted as 0). Open and close outside [low, high] are accepted: providers do deliver such
/// bars (auction prints) and the rules do not list them.
/// </summary>
public sealed class PriceRowValidator
{
    public PriceRowValidator(MissingVolumePolicy missingVolume = MissingVolumePolicy.TreatAsZero)
    {
        MissingVolume = missingVolume;
    }

    /// <summary>The default rules.</summary>
    public static PriceRowValidator Default { get; } = new();

    public MissingVolumePolicy MissingVolume { get; }

    /// <summary>Validates with the default rules.</summary>
    public static PriceRowValidation Validate(RawPriceRow row) => Default.Check(row);

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

    /// <summary>The rules: null and the bar, or the reason the row is rejected.</summary>
    private string? Check(RawPriceRow row, out DailyBar? bar)
    {
        bar = null;
        if (PriceFieldParser.IsMissing(row.Date))
            return "date is missing";
        if (!PriceFieldParser.TryParseDate(row.Date, out var date))
            return $"date '{row.Date}' does not parse (expected yyyy-MM-dd)";

        if (!TryPrice("open", row.Open, out var open, out string? reason)
            || !TryPrice("high", row.High, out var high, out reason)
            || !TryPrice("low", row.Low, out var low, out reason)
            || !TryPrice("close", row.Close, out var close, out reason))
            return reason;

        if (high < low)
            return $"high {row.High!.Trim()} is below low {row.Low!.Trim()}";

        double? adjClose = null;
        if (!PriceFieldParser.IsMissing(row.AdjClose))
        {
            if (!TryPrice("adj close", row.AdjClose, out var adj, out reason))
                return reason;
            adjClose = adj;
        }

        long volume = 0;
        if (PriceFieldParser.IsMissing(row.Volume))
        {
            if (MissingVolume == MissingVolumePolicy.Reject)
                return "volume is missing";
        }
        else if (!PriceFieldParser.TryParseVolume(row.Volume, out volume))
        {
            return $"volume '{row.Volume}' is not a whole number";
        }
        else if (volume < 0)
        {
            return $"volume {volume} is negative";
        }

        bar = new DailyBar(date, open, high, low, close, adjClose, volume);
        return null;
    }

    private static bool TryPrice(string name, string? field, out double value, out string? reason)
    {
        reason = null;
        if (PriceFieldParser.IsMissing(field))
        {
            value = 0;
            reason = $"{name} is missing";
            return false;
        }
        if (!PriceFieldParser.TryParseNumber(field, out value))
        {
            reason = $"{name} '{field}' is not a number";
            return false;
        }
        if (value <= 0)
        {
            reason = $"{name} {field!.Trim()} is not positive";
            return false;
        }
        return true;
    }
}

/// <summary>The accepted bars and the rejected rows of one batch.</summary>
public sealed record ValidatedRows(IReadOnlyList<DailyBar> Bars, IReadOnlyList<Rejection> Rejections);
