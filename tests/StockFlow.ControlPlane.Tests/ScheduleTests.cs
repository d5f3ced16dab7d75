using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using StockFlow.ControlPlane.Hosting;
using StockFlow.ControlPlane.Scheduling;

namespace StockFlow.ControlPlane.Tests;

public sealed class ScheduleTests
{
    private static ScheduleDefinition Weekdays(string missed = "Skip") => ScheduleDefinition.FromJson(new JsonObject
    {
        ["Name"] = "daily", ["Cron"] = "0 22 * * 1-5", ["TimeZone"] = "America/New_York", ["MissedRuns"] = missed,
    });

    [Fact]
    public void Weekdays_at_22_New_York_time_follow_daylight_saving_and_skip_the_weekend()
    {
        // Friday 2026-03-06 23:00 New York (EST, UTC-5): the next runs are Monday and Tuesday 22:00, now EDT (UTC-4).
        var friday = new DateTimeOffset(2026, 3, 7, 4, 0, 0, TimeSpan.Zero);
        var next = Weekdays().Upcoming(friday, 2);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 22, 0, 0, TimeSpan.FromHours(-4)), next[0]);
        Assert.Equal(TimeSpan.FromHours(-4), next[0].Offset);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 2, 0, 0, TimeSpan.Zero), next[0].ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 22, 0, 0, TimeSpan.FromHours(-4)), next[1]);
        var winter = Weekdays().NextAfter(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero))!.Value;
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero), winter.ToUniversalTime());
    }

    [Theory]
    [InlineData("""{"Name":"x","Cron":"not cron"}""", "not a cron expression")]
    [InlineData("""{"Name":"x","Cron":"0 22 * * 1-5","TimeZone":"Mars/Olympus"}""", "IANA")]
    [InlineData("""{"Name":"x","Cron":"0 22 * * *","MissedRuns":"Twice"}""", "Skip or RunOnce")]
    [InlineData("""{"Cron":"0 22 * * *"}""", "'Name'")]
    [InlineData("""{"Name":"x","Cron":"0 22 * * *","Input":{"provider":"yahooo"}}""", "Input.provider must be sample, yahoo, stooq or csv, not \"yahooo\"")]
    [InlineData("""{"Name":"x","Cron":"0 22 * * *","Input":{"provider":7}}""", "Input.provider must be")]
    public void A_bad_schedule_is_refused_with_a_clear_message(string json, string expected)
    {
        var ex = Assert.Throws<ControlPlaneConfigurationException>(() => ScheduleDefinition.FromJson(JsonNode.Parse(json)!.AsObject()));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_provider_is_checked_only_for_the_pipeline_and_as_the_plan_reads_it()
    {
        Assert.Contains(" Yahoo ", ScheduleDefinition.FromJson(JsonNode.Parse("""{"Name":"x","Cron":"0 22 * * *","Input":{"provider":" Yahoo "}}""")!.AsObject()).Input, StringComparison.Ordinal);
        Assert.Contains("anything", ScheduleDefinition.FromJson(JsonNode.Parse("""{"Name":"x","Cron":"0 22 * * *","StateMachine":"mine","Input":{"provider":"anything"}}""")!.AsObject()).Input, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RunOnce", 1)]
    [InlineData("Skip", 0)]
    public async Task Runs_missed_while_the_server_was_down_are_skipped_or_run_once(string policy, int expectedRuns)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "stockflow-schedule-" + Guid.NewGuid().ToString("N"));
        var config = Path.Combine(dataDir, "stockflow.json");
        Directory.CreateDirectory(dataDir);
        await File.WriteAllTextAsync(config, $$"""
            {"Schedules":[{"Name":"daily","Cron":"0 22 * * 1-5","TimeZone":"America/New_York","MissedRuns":"{{policy}}","StateMachine":"quick"}]}
            """);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero)); // Monday
        try
        {
            await using (var first = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dataDir, Port = 0, ConfigPath = config, Clock = clock, WatchLanding = false }))
            {
                first.Machines.Create("quick", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""", null, null);
                Assert.Equal(new DateTimeOffset(2026, 3, 3, 3, 0, 0, TimeSpan.Zero), first.Scheduler.Describe()[0].Upcoming[0].ToUniversalTime());
            }

            // Down for three weekday evenings.
            clock.Advance(TimeSpan.FromDays(3));
            await using var second = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dataDir, Port = 0, ConfigPath = config, Clock = clock, WatchLanding = false });
            var runs = second.Launcher.Store.ListPage(new Runtime.Local.Executions.ExecutionQuery("arn:aws:states:us-east-1:000000000000:stateMachine:quick"));
            Assert.Equal(expectedRuns, runs.Items.Count);
            Assert.Equal(clock.GetUtcNow(), second.Scheduler.Describe()[0].LastFired);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_schedule_fires_at_its_time()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "stockflow-schedule-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var config = Path.Combine(dataDir, "stockflow.json");
        await File.WriteAllTextAsync(config, """{"Schedules":[{"Name":"hourly","Cron":"0 * * * *","StateMachine":"quick","Input":{"n":1}}]}""");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 12, 30, 0, TimeSpan.Zero));
        try
        {
            await using var server = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dataDir, Port = 0, ConfigPath = config, Clock = clock, WatchLanding = false });
            server.Machines.Create("quick", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""", null, null);
            var query = new Runtime.Local.Executions.ExecutionQuery("arn:aws:states:us-east-1:000000000000:stateMachine:quick");
            for (var minute = 0; minute < 40 && server.Launcher.Store.ListPage(query).Items.Count == 0; minute++)
            {
                clock.Advance(TimeSpan.FromMinutes(1));
                await Task.Delay(20);
            }

            var runs = server.Launcher.Store.ListPage(query).Items;
            var run = Assert.Single(runs);
            Assert.Equal("""{"n":1}""", server.Launcher.Store.FindByArn(run.ExecutionArn)!.Input);
            Assert.Equal(new DateTimeOffset(2026, 3, 2, 13, 0, 0, TimeSpan.Zero), run.StartDate);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_csv_landing_starts_the_pipeline_for_the_landed_file_only()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "stockflow-landing-" + Guid.NewGuid().ToString("N"));
        var landing = Path.Combine(dataDir, "lake", "stockflow-lake", "landing");
        Directory.CreateDirectory(landing);
        const string Csv = "Date,Open,High,Low,Close,Adj Close,Volume\n2024-03-04,10,11,9,10.5,10.5,1000\n";
        await File.WriteAllTextAsync(Path.Combine(landing, "OLD.csv"), Csv);
        try
        {
            await using var server = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dataDir, Port = 0, WaitScale = 0 });
            await File.WriteAllTextAsync(Path.Combine(landing, "NEW.csv"), Csv);
            await File.WriteAllTextAsync(Path.Combine(landing, "notes.txt"), "not a CSV");

            var query = new Runtime.Local.Executions.ExecutionQuery(server.Machines.Pipeline.Arn);
            for (var i = 0; i < 300 && server.Launcher.Store.ListPage(query).Items.Count == 0; i++)
            {
                await Task.Delay(50);
            }

            var run = Assert.Single(server.Launcher.Store.ListPage(query).Items);
            Assert.Equal("""{"provider":"csv","landingKeys":["landing/NEW.csv"]}""", server.Launcher.Store.FindByArn(run.ExecutionArn)!.Input);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Theory]
    [InlineData("cron(30 17 ? * MON-FRI *)", "30 17 * * 1-5")]
    [InlineData("cron(30 17 ? * 2-6 *)", "30 17 * * MON-FRI")]
    [InlineData("cron(0 12 ? * 6#3 *)", "0 12 * * 5#3")]
    [InlineData("cron(0 6 1 * ? *)", "0 6 1 * *")]
    public void EventBridge_cron_expressions_fire_at_the_same_times_as_their_five_field_form(string eventBridge, string fiveField)
    {
        ScheduleDefinition Of(string cron) => ScheduleDefinition.FromJson(new JsonObject { ["Name"] = "x", ["Cron"] = cron, ["TimeZone"] = "America/New_York" });
        var from = new DateTimeOffset(2026, 3, 6, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(Of(fiveField).Upcoming(from, 12), Of(eventBridge).Upcoming(from, 12));
    }

    [Theory]
    [InlineData("cron(0 12 ? * MON-FRI 2027)", "year")]
    [InlineData("cron(0 12 * *)", "not an EventBridge cron expression")]
    public void An_EventBridge_cron_the_local_scheduler_cannot_follow_is_refused(string cron, string expected)
    {
        var ex = Assert.Throws<ControlPlaneConfigurationException>(() => ScheduleDefinition.FromJson(new JsonObject { ["Name"] = "x", ["Cron"] = cron }));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schedule_from_the_repositorys_example_stack_fires_when_and_with_what_EventBridge_Scheduler_does()
    {
        var root = RepositoryRoot();
        var config = Path.Combine(Path.GetTempPath(), $"stockflow-stack-schedule-{Guid.NewGuid():N}.json");
        File.WriteAllText(config, new JsonObject
        {
            ["Schedules"] = new JsonArray(new JsonObject { ["Name"] = "daily", ["PulumiStack"] = Path.Combine(root, "Pulumi.dev.yaml"), ["MissedRuns"] = "RunOnce" }),
        }.ToJsonString());
        try
        {
            var schedule = Assert.Single(ScheduleDefinition.Load(config));

            // What the stack sets, read the way infra/Main.yaml's dailySchedule reads it.
            var stack = File.ReadAllText(Path.Combine(root, "Pulumi.dev.yaml"));
            Assert.Contains($"stockflow:scheduleCron: {schedule.Cron}", stack, StringComparison.Ordinal);
            Assert.Contains($"stockflow:scheduleTimezone: {schedule.TimeZone}", stack, StringComparison.Ordinal);
            Assert.Equal("""{"provider":"yahoo","symbols":["AAPL","MSFT","GOOGL","AMZN","NVDA"]}""", schedule.Input);
            var program = File.ReadAllText(Path.Combine(root, "infra", "Main.yaml"));
            Assert.Contains("scheduleExpression: ${scheduleCron}", program, StringComparison.Ordinal);
            Assert.Contains("scheduleExpressionTimezone: ${scheduleTimezone}", program, StringComparison.Ordinal);
            Assert.Matches(@"input:\s+fn::toJSON:\s+provider: \$\{provider\}\s+symbols: \$\{symbols\}\s", program);

            // Friday 18:00 New York: the next runs are Monday and Tuesday 17:30 New York.
            var next = schedule.Upcoming(new DateTimeOffset(2026, 3, 6, 23, 0, 0, TimeSpan.Zero), 2);
            Assert.Equal([new DateTimeOffset(2026, 3, 9, 17, 30, 0, TimeSpan.FromHours(-4)), new DateTimeOffset(2026, 3, 10, 17, 30, 0, TimeSpan.FromHours(-4))], next);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void A_stack_that_leaves_a_value_out_gets_the_programs_default_and_a_schedule_cannot_set_both()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"stockflow-stack-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(folder, "infra"));
        File.WriteAllText(Path.Combine(folder, "Pulumi.yaml"), "name: stockflow\nruntime: yaml\nmain: infra/\n");
        File.WriteAllText(Path.Combine(folder, "infra", "Main.yaml"),
            "config:\n  symbols:\n    type: List<String>\n    default: [KO, PEP]\n  provider:\n    type: String\n    default: stooq\n  scheduleTimezone:\n    type: String\n    default: Europe/London\n");
        File.WriteAllText(Path.Combine(folder, "Pulumi.prod.yaml"), "config:\n  aws:region: eu-west-2\n  stockflow:scheduleCron: cron(0 18 ? * MON-FRI *)\n");
        var config = Path.Combine(folder, "stockflow.json");
        try
        {
            File.WriteAllText(config, """{"Schedules":[{"Name":"prod","PulumiStack":"Pulumi.prod.yaml"}]}""");
            var schedule = Assert.Single(ScheduleDefinition.Load(config));
            Assert.Equal(("cron(0 18 ? * MON-FRI *)", "Europe/London", """{"provider":"stooq","symbols":["KO","PEP"]}"""), (schedule.Cron, schedule.TimeZone, schedule.Input));

            File.WriteAllText(config, """{"Schedules":[{"Name":"prod","PulumiStack":"Pulumi.prod.yaml","Cron":"0 1 * * *"}]}""");
            Assert.Contains("leave them out", Assert.Throws<ControlPlaneConfigurationException>(() => ScheduleDefinition.Load(config)).Message, StringComparison.Ordinal);

            File.WriteAllText(config, """{"Schedules":[{"Name":"prod","PulumiStack":"Pulumi.missing.yaml"}]}""");
            Assert.Contains("Pulumi.missing.yaml", Assert.Throws<ControlPlaneConfigurationException>(() => ScheduleDefinition.Load(config)).Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")) && File.Exists(Path.Combine(dir.FullName, "StockFlow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The test runs outside the repository.");
    }

    [Fact]
    public void Listening_beyond_loopback_needs_the_flag_and_a_token()
    {
        var remote = new ControlPlaneOptions { Address = System.Net.IPAddress.Any };
        Assert.Contains("--allow-remote", Assert.Throws<ControlPlaneConfigurationException>(remote.Validate).Message, StringComparison.Ordinal);
        Assert.Contains("--access-token", Assert.Throws<ControlPlaneConfigurationException>((remote with { AllowRemote = true }).Validate).Message, StringComparison.Ordinal);
        (remote with { AllowRemote = true, AccessToken = "0123456789abcdef0123" }).Validate();
        new ControlPlaneOptions().Validate();
    }
}
