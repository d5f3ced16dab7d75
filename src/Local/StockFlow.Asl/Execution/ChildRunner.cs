using System.Runtime.ExceptionServices;

namespace StockFlow.Asl.Execution;

/// <summary>
/// Runs Map iterations / Parallel branches with at most N at once. The first StatesErrorException a child
/// throws cancels the others and is returned; aborts and internal failures are rethrown.
/// </summary>
internal static class ChildRunner
{
    public static async Task<StatesErrorException?> RunAsync(
        ExecutionRuntime parent, int count, int limit, Func<int, Interpreter, Task> body)
    {
        if (count == 0) return null;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(parent.Token);
        var child = new Interpreter(parent.WithToken(cts.Token));
        StatesErrorException? failure = null;
        Exception? fatal = null;
        var next = -1;

        async Task Worker()
        {
            while (!cts.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= count) return;
                try
                {
                    await body(i, child);
                }
                catch (StatesErrorException e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                    await cts.CancelAsync();
                    return;
                }
                catch (OperationCanceledException) when (cts.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref fatal, e, null);
                    await cts.CancelAsync();
                    return;
                }
            }
        }

        var workers = Math.Max(1, Math.Min(limit, count));
        var tasks = new Task[workers];
        for (var w = 0; w < workers; w++) tasks[w] = workers == 1 ? Worker() : Task.Run(Worker);
        await Task.WhenAll(tasks);
        parent.Token.ThrowIfCancellationRequested();
        if (fatal is not null) ExceptionDispatchInfo.Throw(fatal);
        return failure;
    }
}
