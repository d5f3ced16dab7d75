namespace StockFlow.ControlPlane.Executions;

/// <summary>
/// Tells the console's live streams that some execution changed (an event was recorded, one started or
/// ended), so they re-render at once instead of polling. A version number lets a waiter that was busy
/// rendering see a change it missed.
/// </summary>
public sealed class ExecutionChanges
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = NewSignal();
    private long _version;

    /// <summary>Goes up by one with every <see cref="Notify"/>; pass the value seen to <see cref="WaitAsync"/>.</summary>
    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    /// <summary>Signals a change: wakes every waiter.</summary>
    public void Notify()
    {
        TaskCompletionSource fired;
        lock (_gate)
        {
            _version++;
            fired = _next;
            _next = NewSignal();
        }

        fired.TrySetResult();
    }

    /// <summary>Returns when the version moves past <paramref name="seen"/>, or after <paramref name="timeout"/> (false).</summary>
    public async Task<bool> WaitAsync(long seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task signal;
        lock (_gate)
        {
            if (_version != seen)
            {
                return true;
            }

            signal = _next.Task;
        }

        try
        {
            await signal.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
