using System.Text.Json;
using StockFlow.Asl.Validation;
using StockFlow.ControlPlane.Api;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Definitions;

namespace StockFlow.ControlPlane.StateMachines;

/// <summary>A state machine as DescribeStateMachine tells it.</summary>
/// <param name="Name">The state machine name (1-80 letters, digits, '-' or '_').</param>
/// <param name="Definition">The ASL definition as given (the pipeline's with its placeholders).</param>
/// <param name="RoleArn">The execution role; recorded, not used locally.</param>
/// <param name="Type">Always <c>STANDARD</c>: express state machines do not run locally.</param>
/// <param name="CreationDate">When it was created.</param>
/// <param name="UpdateDate">When it was last updated.</param>
/// <param name="RevisionId">Changes with every update.</param>
/// <param name="BuiltIn">True for StockFlow's own pipeline, which cannot be updated or deleted through the API.</param>
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
    /// <summary>The state machine's ARN in the local account.</summary>
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

    /// <summary>The registry of a data directory; user state machines are read from its <c>statemachines/</c> folder when asked for.</summary>
    /// <param name="directory">The data directory.</param>
    /// <param name="pipelineDefinition">The built-in pipeline's definition, placeholders not yet substituted.</param>
    /// <param name="clock">Gives creation and update dates.</param>
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

    /// <summary>The built-in pipeline, which the API can run but not update or delete.</summary>
    public StateMachineRecord Pipeline => _pipeline;

    /// <summary>The role ARN a state machine created without one gets: <c>arn:aws:iam::000000000000:role/&lt;name&gt;-role</c>.</summary>
    public static string RoleArnFor(string name) => $"arn:aws:iam::{LocalResourceNames.Account}:role/{name}-role";

    /// <summary>The pipeline and every user state machine, by name.</summary>
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

    /// <summary>The state machine with the ARN <paramref name="arn"/>.</summary>
    /// <exception cref="StepFunctionsApiException"><c>InvalidArn</c>, or <c>StateMachineDoesNotExist</c>.</exception>
    public StateMachineRecord Get(string arn)
    {
        var name = ResourceArns.StateMachineName(arn);
        return Find(name) ?? throw StepFunctionsApiException.StateMachineDoesNotExist(arn);
    }

    /// <summary>The state machine named <paramref name="name"/>; null when there is none (or the name is not valid).</summary>
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
    /// <exception cref="StepFunctionsApiException">
    /// <c>InvalidName</c>, <c>ValidationException</c> (a type other than STANDARD), <c>InvalidDefinition</c>, or
    /// <c>StateMachineAlreadyExists</c> when the name is taken with another definition or by the pipeline.
    /// </exception>
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

    /// <summary>Replaces a user state machine's definition and/or role, as <c>UpdateStateMachine</c> does; a new revision id.</summary>
    /// <param name="arn">The state machine's ARN.</param>
    /// <param name="definition">The new definition; null keeps the current one.</param>
    /// <param name="roleArn">The new role; null keeps the current one.</param>
    /// <exception cref="StepFunctionsApiException">
    /// <c>MissingRequiredParameter</c> when both are null, <c>InvalidDefinition</c>, <c>InvalidArn</c>,
    /// <c>StateMachineDoesNotExist</c>, or <c>ValidationException</c> for the built-in pipeline.
    /// </exception>
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

    /// <summary>Deletes a user state machine; an unknown one is no error (as on AWS).</summary>
    /// <exception cref="StepFunctionsApiException"><c>InvalidArn</c>, or <c>ValidationException</c> for the built-in pipeline.</exception>
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
