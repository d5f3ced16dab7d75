using System.Globalization;

namespace StockFlow.Bench.Data;

/// <summary>Command-line settings of a benchmark run (see the README section "Performance: transform and analysis").</summary>
public sealed record BenchOptions
{
    public int Symbols { get; init; } = 500;

    public int Years { get; init; } = 10;

    public int LastYear { get; init; } = 2025;

    public int Repetitions { get; init; } = 3;

    public string Work { get; init; } = Path.Combine(Path.GetTempPath(), "stockflow-bench");

    public string Output { get; init; } = Path.Combine("bench", "results");

    /// <summary>Python with pandas for the baseline; "none" skips it.</summary>
    public string Python { get; init; } = "/usr/bin/python3";

    /// <summary>Also time the whole local `stockflow run --provider csv` (needs the CLI built in Release).</summary>
    public bool Cli { get; init; }

    /// <summary>Also run the large full rebuild under <see cref="MemoryLimit"/>, e.g. 8000 x 30.</summary>
    public int LargeSymbols { get; init; }

    public int LargeYears { get; init; } = 30;

    public string MemoryLimit { get; init; } = "2GB";

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Number() => int.Parse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--symbols" => options with { Symbols = Number() },
                "--years" => options with { Years = Number() },
                "--last-year" => options with { LastYear = Number() },
                "--reps" => options with { Repetitions = Number() },
                "--work" => options with { Work = Value() },
                "--out" => options with { Output = Value() },
                "--python" => options with { Python = Value() },
                "--cli" => options with { Cli = true },
                "--large" => options with { LargeSymbols = 8000, LargeYears = 30 },
                "--large-symbols" => options with { LargeSymbols = Number() },
                "--large-years" => options with { LargeYears = Number() },
                "--memory-limit" => options with { MemoryLimit = Value() },
                _ => throw new ArgumentException(
                    $"Unknown option '{args[i]}'. Options: --symbols N --years N --reps N --work DIR --out DIR --python PATH|none --cli --large [--large-symbols N --large-years N] --memory-limit 2GB"),
            };
        }

        if (options.Symbols < 1 || options.Years < 1 || options.Repetitions < 1)
        {
            throw new ArgumentException("--symbols, --years and --reps must be at least 1.");
        }

        return options;
    }
}
