using NodaTime;

namespace StockFlow.Providers.Yahoo;

/// <summary>
/// Turns bar timestamps into trading dates with NodaTime's embedded TZDB (no OS tzdata, no ICU):
/// the local date in the exchange's IANA zone, never UTC, never meta.gmtoffset, never the machine's zone.
/// </summary>
internal static class YahooTradingDates
{
    public static DateTimeZone Zone(string symbol, string zoneId) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)
        ?? throw new InvalidProviderResponseException(symbol, $"Yahoo named an unknown time zone '{zoneId}' for '{symbol}'.");

    /// <summary>
    /// The trading date of a daily bar. Yahoo sometimes stamps a bar at 22:00 or 23:00 on the previous local
    /// day around DST changes (yfinance's fix_Yahoo_dst_issue); such a whole-hour stamp belongs to the next day.
    /// </summary>
    public static DateOnly TradingDate(long unixSeconds, DateTimeZone zone)
    {
        var local = Instant.FromUnixTimeSeconds(unixSeconds).InZone(zone).LocalDateTime;
        var date = local.Date;
        if (local.Hour is 22 or 23 && local.Minute == 0 && local.Second == 0)
            date = date.PlusDays(1);
        return new DateOnly(date.Year, date.Month, date.Day);
    }

    /// <summary>Unix seconds of local midnight starting <paramref name="date"/> in <paramref name="zone"/>.</summary>
    public static long StartOfDay(DateOnly date, DateTimeZone zone) =>
        new LocalDate(date.Year, date.Month, date.Day).AtStartOfDayInZone(zone).ToInstant().ToUnixTimeSeconds();

    public static DateOnly Today(Instant now, DateTimeZone zone)
    {
        var today = now.InZone(zone).Date;
        return new DateOnly(today.Year, today.Month, today.Day);
    }
}
