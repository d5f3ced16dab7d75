using System.Globalization;
using System.Text.RegularExpressions;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cronos;
using StockFlow.ControlPlane.Hosting;
using StockFlow.Providers;

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
/// One schedule: a cron expression in an IANA time zone (e.g. <c>0 22 * * 1-5</c> in America/New_York: weekdays
/// 22:00 New York time, whatever the season), the state machine it starts and with which input. The cron is
/// five-field (minute hour day-of-month month day-of-week) or EventBridge Scheduler's <c>cron(...)</c>, the form the
/// AWS deployment's <c>scheduleCron</c> takes; a schedule can also take cron, zone and input from a Pulumi stack
/// (<c>PulumiStack</c>), so both runtimes start at the same times.
/// </summary>
/// <param name="Name">The schedule's name (<c>Name</c>, required, unique), as the console lists it.</param>
/// <param name="Cron">When it fires (<c>Cron</c>, required): five fields, or <c>cron(...)</c> with six as EventBridge Scheduler takes it.</param>
/// <param name="TimeZone">The IANA zone the cron is read in (<c>TimeZone</c>). Default <c>UTC</c>.</param>
/// <param name="MissedRuns">What happens to fire times missed while the server was down (<c>MissedRuns</c>). Default <see cref="MissedRunPolicy.Skip"/>.</param>
/// <param name="StateMachine">The state machine started (<c>StateMachine</c>). Default <c>stockflow-pipeline</c>.</param>
/// <param name="Input">The execution's input as JSON text (<c>Input</c>, an object). Default <c>{}</c>.</param>
/// <param name="Enabled">Whether it fires (<c>Enabled</c>). Default true.</param>
public sealed partial record ScheduleDefinition(
    string Name,
    string Cron,
    string TimeZone,
    MissedRunPolicy MissedRuns,
    string StateMachine,
    string Input,
    bool Enabled)
{
    /// <summary>The configuration file's array of schedules.</summary>
    public const string SectionName = "Schedules";

    /// <summary>A schedule field naming a Pulumi stack file (relative to the configuration file) to take cron, zone and input from.</summary>
    public const string PulumiStackField = "PulumiStack";

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

            schedules.Add(FromJson(WithStack(o, Path.GetDirectoryName(Path.GetFullPath(configPath))!)));
        }

        var duplicate = schedules.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? schedules : throw new ControlPlaneConfigurationException($"Two schedules are named '{duplicate.Key}'.");
    }

    /// <summary>A schedule naming a Pulumi stack gets the stack's cron, zone and input (and may not set its own).</summary>
    private static JsonObject WithStack(JsonObject o, string configFolder)
    {
        if (o[PulumiStackField] is not JsonValue stackValue || !stackValue.TryGetValue<string>(out var stack))
        {
            return o;
        }

        var name = o["Name"]?.ToJsonString() ?? "(unnamed)";
        if (o["Cron"] is not null || o["TimeZone"] is not null || o["Input"] is not null)
        {
            throw new ControlPlaneConfigurationException($"Schedule {name} takes Cron, TimeZone and Input from {PulumiStackField} '{stack}'; leave them out.");
        }

        var merged = o.DeepClone().AsObject();
        foreach (var (key, value) in PulumiStackSchedule.Read(Path.Combine(configFolder, stack)))
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }

    /// <summary>One entry of the <c>Schedules</c> array (after a <c>PulumiStack</c> was merged in), with the defaults
    /// for the fields it leaves out.</summary>
    /// <exception cref="ControlPlaneConfigurationException">No name or cron, an unknown <c>MissedRuns</c>, an unknown
    /// provider in the pipeline's input, or a cron or zone that does not parse.</exception>
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

        var machine = o["StateMachine"]?.GetValue<string>() ?? Runtime.Local.Definitions.LocalResourceNames.StateMachineName;
        // The pipeline's plan would refuse an unknown provider at the first fire time; say so when the file is read.
        if (machine == Runtime.Local.Definitions.LocalResourceNames.StateMachineName && o["Input"] is JsonObject input
            && input["provider"] is { } provider
            && !(provider is JsonValue value && value.TryGetValue<string>(out var text) && PriceProviders.TryNormalize(text, out _)))
        {
            throw new ControlPlaneConfigurationException($"Schedule '{name}': Input.provider must be {PriceProviders.Listed}, not {provider.ToJsonString()}.");
        }

        return new ScheduleDefinition(
            name,
            Required("Cron"),
            o["TimeZone"]?.GetValue<string>() ?? "UTC",
            policy,
            machine,
            o["Input"]?.ToJsonString() ?? "{}",
            o["Enabled"]?.GetValue<bool>() ?? true);
    }

    private static CronExpression ParseCron(string name, string cron)
    {
        try
        {
            return CronExpression.Parse(cron.StartsWith("cron(", StringComparison.Ordinal) ? FromEventBridge(name, cron) : cron, CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            throw new ControlPlaneConfigurationException($"Schedule '{name}': '{cron}' is not a cron expression (minute hour day-of-month month day-of-week): {ex.Message}", ex);
        }
    }

    /// <summary>
    /// EventBridge Scheduler's <c>cron(minutes hours day-of-month month day-of-week year)</c> as five-field cron:
    /// <c>?</c> is <c>*</c>, day-of-week numbers 1-7 (SUN-SAT) become 0-6 (names stay names), the year must be <c>*</c>.
    /// </summary>
    public static string FromEventBridge(string name, string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var fields = expression.EndsWith(')')
            ? expression["cron(".Length..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];
        if (fields.Length != 6)
        {
            throw new ControlPlaneConfigurationException(
                $"Schedule '{name}': '{expression}' is not an EventBridge cron expression cron(minutes hours day-of-month month day-of-week year).");
        }

        if (fields[5] != "*")
        {
            throw new ControlPlaneConfigurationException($"Schedule '{name}': a year in '{expression}' is not supported locally; use * for the year.");
        }

        static string Any(string field) => field == "?" ? "*" : field;
        var dayOfWeek = DayNumber().Replace(Any(fields[4]), m => (int.Parse(m.Value, CultureInfo.InvariantCulture) - 1).ToString(CultureInfo.InvariantCulture));
        return string.Join(' ', fields[0], fields[1], Any(fields[2]), fields[3], dayOfWeek);
    }

    [GeneratedRegex("(?<![#0-9])[1-7](?![0-9])")]
    private static partial Regex DayNumber();

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
