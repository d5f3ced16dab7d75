using System.Text.Json;
using StockFlow.Asl.Validation;
using StockFlow.ControlPlane.Api;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Definitions;

namespace StockFlow.ControlPlane.StateMachines;

/// <summary>A state machine as DescribeStateMachine tells it.</summary>
public sealed record StateMachineRecord(
    string Name,
    string Definition,
    string RoleArn,
    string Type,
    DateTimeOffset CreationDate,
    DateTimeOffset UpdateDate,
    string RevisionId,
    bool BuiltIn)
{
    public string Arn => ResourceArns.StateMachineArn(Name);
}

/// <summary>
/// The state machines the local server knows: the pipeline (built in, its definition is the shipped
/// pipeline.asl.json with local names) and the ones users create, one JSON file each in
/// <c>&lt;data-dir&gt;/statemachines/</c> so they survive a restart.
/// </summary>
public sealed class StateMachineRegistry
{
    private static readonly JsonSerializerOptions FileJson = new() { WriteIndented = true };
    private readonly string _folder;
    private readonly StateMachineRecord _pipeline;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();

    public StateMachineRegistry(DataDirectory directory, string pipelineDefinition, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(directory);
        _folder = Path.Combine(directory.Root, "statemachines");
        _clock = clock;
        var started = clock.GetUtcNow();
        _pipeline = new StateMachineRecord(
            LocalResourceNames.StateMachineName, pipelineDefinition, RoleArnFor(LocalResourceNames.StateMachineName),
            "STANDARD", started, started, "pipeline", BuiltIn: true);
    }

    public StateMachineRecord Pipeline => _pipeline;

    public static string RoleArnFor(string name) => $"arn:aws:iam::{LocalResourceNames.Account}:role/{name}-role";

    public IReadOnlyList<StateMachineRecord> List()
    {
        lock (_gate)
        {
            var list = new List<StateMachineRecord> { _pipeline };
            if (Directory.Exists(_folder))
            {
                list.AddRange(Directory.EnumerateFiles(_folder, "*.json").Select(Read).OfType<StateMachineRecord>());
            }

            return list.OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
        }
    }

    public StateMachineRecord Get(string arn)
    {
        var name = ResourceArns.StateMachineName(arn);
        return Find(name) ?? throw StepFunctionsApiException.StateMachineDoesNotExist(arn);
    }

    public StateMachineRecord? Find(string name)
    {
        if (name == _pipeline.Name)
        {
            return _pipeline;
        }

        if (!ResourceArns.IsValidName(name))
        {
            return null;
        }

        lock (_gate)
        {
            return Read(PathOf(name));
        }
    }

    /// <summary>Creates a state machine; the same name with the same definition answers the existing one (AWS's idempotency).</summary>
    public StateMachineRecord Create(string name, string definition, string? roleArn, string? type)
    {
        ResourceArns.RequireName(name, "state machine");
        if ((type ?? "STANDARD") != "STANDARD")
        {
            throw StepFunctionsApiException.Validation($"Type '{type}' is not supported locally; only STANDARD state machines run here.");
        }

        RequireValid(definition);
        lock (_gate)
        {
            if (Find(name) is { } existing)
            {
                return existing.Definition == definition && !existing.BuiltIn
                    ? existing
                    : throw new StepFunctionsApiException("StateMachineAlreadyExists", $"State Machine Already Exists: '{existing.Arn}'");
            }

            var now = _clock.GetUtcNow();
            var record = new StateMachineRecord(name, definition, roleArn ?? RoleArnFor(name), "STANDARD", now, now, Guid.NewGuid().ToString(), BuiltIn: false);
            Write(record);
            return record;
        }
    }

    public StateMachineRecord Update(string arn, string? definition, string? roleArn)
    {
        if (definition is null && roleArn is null)
        {
            throw new StepFunctionsApiException("MissingRequiredParameter", "Either the definition or the roleArn must be specified.");
        }

        if (definition is not null)
        {
            RequireValid(definition);
        }

        lock (_gate)
        {
            var existing = Get(arn);
            RefuseBuiltIn(existing, "updated");
            var updated = existing with
            {
                Definition = definition ?? existing.Definition,
                RoleArn = roleArn ?? existing.RoleArn,
                UpdateDate = _clock.GetUtcNow(),
                RevisionId = Guid.NewGuid().ToString(),
            };
            Write(updated);
            return updated;
        }
    }

    public void Delete(string arn)
    {
        lock (_gate)
        {
            var name = ResourceArns.StateMachineName(arn);
            if (Find(name) is not { } existing)
            {
                return; // AWS answers a delete of an unknown state machine with success.
            }

            RefuseBuiltIn(existing, "deleted");
            File.Delete(PathOf(name));
        }
    }

    /// <summary>The validator's problems as InvalidDefinition, with every problem's location.</summary>
    public static void RequireValid(string definition)
    {
        var problems = AslValidator.Validate(definition);
        if (problems.Count > 0)
        {
            throw new StepFunctionsApiException("InvalidDefinition",
                "Invalid State Machine Definition: '" + string.Join("; ", problems.Select(p => $"{p.Message} at {(p.Pointer.Length == 0 ? "/" : p.Pointer)}")) + "'");
        }
    }

    private static void RefuseBuiltIn(StateMachineRecord machine, string verb)
    {
        if (machine.BuiltIn)
        {
            throw StepFunctionsApiException.Validation(
                $"'{machine.Name}' is StockFlow's own pipeline (statemachine/pipeline.asl.json) and cannot be {verb} through the API; edit the file instead.");
        }
    }

    private string PathOf(string name) => Path.Combine(_folder, name + ".json");

    private void Write(StateMachineRecord record)
    {
        Directory.CreateDirectory(_folder);
        var temporary = PathOf(record.Name) + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(record, FileJson));
        File.Move(temporary, PathOf(record.Name), overwrite: true);
    }

    private static StateMachineRecord? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<StateMachineRecord>(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The state machine file '{path}' is not valid: {ex.Message}", ex);
        }
    }
}
