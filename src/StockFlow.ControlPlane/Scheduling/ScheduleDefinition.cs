using System.Text.Json;
using System.Text.Json.Nodes;
using Cronos;
using StockFlow.ControlPlane.Hosting;

namespace StockFlow.ControlPlane.Scheduling;

/// <summary>What happens to the fire times that passed while the server was not running.</summary>
public enum MissedRunPolicy
{
    /// <summary>Forget them; the next fire time is the next one from now.</summary>
    Skip,

    /// <summary>Start one execution at start-up for all of them together.</summary>
    RunOnce,
}

/// <summary>
/// One schedule: a five-field cron expression in an IANA time zone (e.g. <c>0 22 * * 1-5</c> in
/// America/New_York: weekdays 22:00 New York time, whatever the season), the state machine it
/// starts and with which input.
/// </summary>
public sealed record ScheduleDefinition(
    string Name,
    string Cron,
    string TimeZone,
    MissedRunPolicy MissedRuns,
    string StateMachine,
    string Input,
    bool Enabled)
{
    public const string SectionName = "Schedules";

    private CronExpression Expression { get; } = ParseCron(Name, Cron);

    private TimeZoneInfo Zone { get; } = ParseZone(Name, TimeZone);

    /// <summary>The next fire time strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) =>
        Expression.GetNextOccurrence(after, Zone, inclusive: false);

    /// <summary>The next <paramref name="count"/> fire times after a moment, in the schedule's zone.</summary>
    public IReadOnlyList<DateTimeOffset> Upcoming(DateTimeOffset after, int count)
    {
        var list = new List<DateTimeOffset>();
        var cursor = after;
        while (list.Count < count && NextAfter(cursor) is { } next)
        {
            list.Add(TimeZoneInfo.ConvertTime(next, Zone));
            cursor = next;
        }

        return list;
    }

    /// <summary>
    /// The <c>Schedules</c> array of the configuration file:
    /// <c>[{"Name":"daily","Cron":"0 22 * * 1-5","TimeZone":"America/New_York","MissedRuns":"RunOnce","StateMachine":"stockflow-pipeline","Input":{...}}]</c>.
    /// </summary>
    /// <exception cref="ControlPlaneConfigurationException">A schedule is incomplete, its cron or zone is invalid, or two share a name.</exception>
    public static IReadOnlyList<ScheduleDefinition> Load(string? configPath)
    {
        if (configPath is null)
        {
            return [];
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(configPath));
        }
        catch (JsonException ex)
        {
            throw new ControlPlaneConfigurationException($"The configuration file '{configPath}' is not valid JSON: {ex.Message}", ex);
        }

        if (root?[SectionName] is not JsonArray items)
        {
            return [];
        }

        var schedules = new List<ScheduleDefinition>();
        foreach (var item in items)
        {
            if (item is not JsonObject o)
            {
                throw new ControlPlaneConfigurationException($"Each entry of '{SectionName}' in '{configPath}' must be an object.");
            }

            schedules.Add(FromJson(o));
        }

        var duplicate = schedules.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? schedules : throw new ControlPlaneConfigurationException($"Two schedules are named '{duplicate.Key}'.");
    }

    public static ScheduleDefinition FromJson(JsonObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        string Required(string field) => o[field] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0
            ? s
            : throw new ControlPlaneConfigurationException($"A schedule needs '{field}' (a string): {o.ToJsonString()}");
        var name = Required("Name");
        var missed = o["MissedRuns"]?.GetValue<string>() ?? "Skip";
        if (!Enum.TryParse<MissedRunPolicy>(missed, ignoreCase: true, out var policy))
        {
            throw new ControlPlaneConfigurationException($"Schedule '{name}': MissedRuns must be Skip or RunOnce, not '{missed}'.");
        }

        return new ScheduleDefinition(
            name,
            Required("Cron"),
            o["TimeZone"]?.GetValue<string>() ?? "UTC",
            policy,
            o["StateMachine"]?.GetValue<string>() ?? Runtime.Local.Definitions.LocalResourceNames.StateMachineName,
            o["Input"]?.ToJsonString() ?? "{}",
            o["Enabled"]?.GetValue<bool>() ?? true);
    }

    private static CronExpression ParseCron(string name, string cron)
    {
        try
        {
            return CronExpression.Parse(cron, CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            throw new ControlPlaneConfigurationException($"Schedule '{name}': '{cron}' is not a cron expression (minute hour day-of-month month day-of-week): {ex.Message}", ex);
        }
    }

    private static TimeZoneInfo ParseZone(string name, string zone)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(zone);
        }
        catch (TimeZoneNotFoundException ex)
        {
            throw new ControlPlaneConfigurationException($"Schedule '{name}': '{zone}' is not an IANA time zone (e.g. America/New_York).", ex);
        }
        catch (InvalidTimeZoneException ex)
        {
            throw new ControlPlaneConfigurationException($"Schedule '{name}': the time zone '{zone}' is not usable: {ex.Message}", ex);
        }
    }
}
