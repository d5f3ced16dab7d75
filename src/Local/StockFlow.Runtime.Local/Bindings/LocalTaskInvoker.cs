using System.Text.Json.Nodes;
using StockFlow.Asl;

namespace StockFlow.Runtime.Local.Bindings;

/// <summary>One local stand-in for one or more Task resource ARNs.</summary>
public interface IResourceBinding
{
    /// <summary>The resource ARNs this binding answers, e.g. <c>arn:aws:states:::sns:publish</c>.</summary>
    IReadOnlyCollection<string> Resources { get; }

    /// <summary>Runs one Task state's call and answers with the service's response shape.</summary>
    /// <param name="invocation">The resource, the state's resolved Parameters and the state's name.</param>
    /// <param name="cancellationToken">Stops the call when the execution is stopped or times out.</param>
    /// <returns>The Task's result, before ResultSelector and ResultPath.</returns>
    /// <exception cref="StatesErrorException">The service's error (e.g. <c>Glue.EntityNotFoundException</c>); the state's Retry and Catch match its name.</exception>
    Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>
/// Routes each Task state to the local stand-in of its resource. A resource with no local
/// binding fails the state with <c>States.Runtime</c> naming it, as docs/architecture.md ("One definition, two runtimes") says.
/// </summary>
public sealed class LocalTaskInvoker : ITaskInvoker, IDisposable
{
    private readonly Dictionary<string, IResourceBinding> _bindings = new(StringComparer.Ordinal);
    private readonly LambdaBinding? _lambda;

    /// <summary>Routes every resource of <paramref name="bindings"/> to its binding.</summary>
    /// <exception cref="ArgumentException">Two bindings claim the same resource.</exception>
    public LocalTaskInvoker(IEnumerable<IResourceBinding> bindings)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        foreach (var binding in bindings)
        {
            foreach (var resource in binding.Resources)
            {
                _bindings.Add(resource, binding);
            }

            _lambda ??= binding as LambdaBinding;
        }
    }

    /// <summary>Every resource ARN with a local binding.</summary>
    public IReadOnlyCollection<string> BoundResources => _bindings.Keys;

    /// <summary>Releases bindings that hold resources (the Athena stand-in's DuckDB database).</summary>
    public void Dispose()
    {
        foreach (var binding in _bindings.Values.Distinct().OfType<IDisposable>())
        {
            binding.Dispose();
        }
    }

    /// <summary>
    /// Calls the binding of the Task's resource; a Lambda function ARN as the resource (the older direct form) calls the
    /// function and answers with its payload alone.
    /// </summary>
    /// <exception cref="StatesErrorException"><c>States.Runtime</c> when the resource has no local binding, or the binding's error.</exception>
    public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        if (_bindings.TryGetValue(invocation.Resource, out var binding))
        {
            return binding.InvokeAsync(invocation, cancellationToken);
        }

        // The older direct form: "Resource": "arn:aws:lambda:...:function:name".
        if (_lambda is not null && invocation.Resource.StartsWith("arn:aws:lambda:", StringComparison.Ordinal))
        {
            return _lambda.InvokeDirectAsync(invocation, cancellationToken);
        }

        throw new StatesErrorException(
            StatesErrors.Runtime,
            $"The resource '{invocation.Resource}' of state '{invocation.StateName}' has no local binding. " +
            $"Bound locally: {string.Join(", ", _bindings.Keys.Order(StringComparer.Ordinal))}.");
    }
}
