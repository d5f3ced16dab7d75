using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using StockFlow.Core.Lake;
using StockFlow.Functions.Hosting;
using StockFlow.Functions.Lake;
using StockFlow.Storage;

namespace StockFlow.Functions.Locking;

/// <summary>
/// The <c>lock</c> function: one pipeline run per lake, on AWS and locally alike. The lock is one object,
/// <see cref="LakeKeys.PipelineLock"/>, naming the execution that holds the lake. <c>acquire</c> creates it with a
/// conditional write (S3's If-None-Match: *), so of two executions starting together exactly one gets it; the other
/// gets <see cref="LakeBusyException"/> naming the holder, which the definition retries with back-off (it waits) and
/// finally fails with. <c>release</c> removes it when the caller holds it (a conditional delete, so it never removes
/// a lock another execution has taken since). A lock is stale once its holder would have hit the state machine's
/// timeout (its start plus <c>staleAfterSeconds</c>): it is then taken over, since no execution can still hold it.
/// </summary>
public sealed class LakeLockHandler(IObjectStore store, TimeProvider clock) : ILambdaHandler
{
    /// <summary>The <c>action</c> of <c>AcquireLake</c>: take the lake, or fail with <see cref="LakeBusyException"/>.</summary>
    public const string Acquire = "acquire";

    /// <summary>The <c>action</c> of <c>ReleaseLake</c> and <c>ReleaseLakeAfterFailure</c>: give the lake back if this execution holds it.</summary>
    public const string Release = "release";

    /// <summary>The <c>action</c> of <c>FailOrResume</c>, the failure path's last state (see <see cref="FailOrResumeAsync"/>).</summary>
    public const string FailOrResume = "failOrResume";

    // Acquire re-reads the lock when it vanished between the conditional write and the read (released meanwhile).
    private const int AcquireRounds = 3;

    /// <summary>The function's name: its <c>_HANDLER</c> on AWS, its <c>FunctionName</c> locally.</summary>
    public const string FunctionName = "lock";

    /// <inheritdoc/>
    public string Name => FunctionName;

    /// <inheritdoc/>
    /// <exception cref="LakeBusyException">acquire: another execution holds the lake.</exception>
    /// <exception cref="LakeBusyForRedriveException">failOrResume in a redrive: another execution holds the lake.</exception>
    public async Task<JsonNode?> HandleAsync(JsonNode? payload, CancellationToken cancellationToken)
    {
        var request = HandlerJson.Read<LakeLockRequest>(payload, Name);
        return request.Action switch
        {
            Acquire => HandlerJson.Write(await AcquireAsync(request, cancellationToken)),
            Release => HandlerJson.Write(await ReleaseAsync(request, cancellationToken)),
            FailOrResume => HandlerJson.Write(await FailOrResumeAsync(request, cancellationToken)),
            _ => throw new InvalidPayloadException($"The lock function's action must be '{Acquire}', '{Release}' or '{FailOrResume}', not '{request.Action}'."),
        };
    }

    /// <summary>
    /// Takes the lake for the request's execution: creates the lock object, or finds it already the execution's own (a
    /// retried call, a redrive), or takes over a stale or unreadable one.
    /// </summary>
    /// <exception cref="InvalidPayloadException">No bucket, or <c>staleAfterSeconds</c> not above 0.</exception>
    /// <exception cref="LakeBusyException">Another execution holds the lake and its lock is not stale.</exception>
    public async Task<LakeLockAcquired> AcquireAsync(LakeLockRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = RequireBucket(request.Bucket);
        var execution = ExecutionNames.Validate(request.ExecutionName);
        if (request.StaleAfterSeconds is not > 0)
        {
            throw new InvalidPayloadException("The lock function's acquire needs staleAfterSeconds > 0 (the state machine's TimeoutSeconds).");
        }

        var now = clock.GetUtcNow();
        var mine = new LakeLockDocument(execution, now, (request.ExecutionStartTime ?? now).AddSeconds(request.StaleAfterSeconds.Value));
        var content = JsonSerializer.SerializeToUtf8Bytes(mine, HandlerJson.TypeInfo<LakeLockDocument>());
        string? takenOverFrom = null;
        for (var round = 1; ; round++)
        {
            if (await store.PutIfAbsentAsync(bucket, LakeKeys.PipelineLock, content, cancellationToken))
            {
                return new LakeLockAcquired(execution, mine.AcquiredAt, mine.ExpiresAt, takenOverFrom);
            }

            var current = await store.GetTaggedAsync(bucket, LakeKeys.PipelineLock, cancellationToken);
            if (current is null)
            {
                if (round < AcquireRounds)
                {
                    continue; // released between the write and the read: try again
                }

                throw new LakeBusyException($"The lake s3://{bucket} changed hands {AcquireRounds} times while execution {execution} tried to take it; it waits and tries again.");
            }

            var holder = Parse(current.Content);
            if (holder is not null && string.Equals(holder.Execution, execution, StringComparison.Ordinal))
            {
                // Ours already: a retried call whose first answer was lost, or a redriven execution.
                return new LakeLockAcquired(execution, holder.AcquiredAt, holder.ExpiresAt, null);
            }

            if (holder is not null && now < holder.ExpiresAt)
            {
                throw new LakeBusyException(
                    $"The lake s3://{bucket} is in use by execution {holder.Execution} (since {Format(holder.AcquiredAt)}), so " +
                    $"execution {execution} waits for it. Let it finish, or stop it (`stockflow stop {holder.Execution}`, or " +
                    $"StopExecution on AWS), then start again; otherwise its lock s3://{bucket}/{LakeKeys.PipelineLock} is taken " +
                    $"over after {Format(holder.ExpiresAt)}.");
            }

            // Stale (its holder has timed out by now) or unreadable: take it over. The conditional delete removes exactly
            // the version read, so of several executions taking over, one deletes and the conditional write picks one.
            takenOverFrom = holder?.Execution ?? "an unreadable lock";
            if (!await store.DeleteIfMatchAsync(bucket, LakeKeys.PipelineLock, current.ETag, cancellationToken) && round >= AcquireRounds)
            {
                throw new LakeBusyException($"Another execution took the stale lock s3://{bucket}/{LakeKeys.PipelineLock} over first; execution {execution} waits.");
            }
        }
    }

    /// <summary>Removes the lock if the request's execution holds it (a conditional delete); never another execution's.</summary>
    public async Task<LakeLockReleased> ReleaseAsync(LakeLockRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = RequireBucket(request.Bucket);
        var execution = ExecutionNames.Validate(request.ExecutionName);
        var current = await store.GetTaggedAsync(bucket, LakeKeys.PipelineLock, cancellationToken);
        if (current is null)
        {
            return new LakeLockReleased(false, null);
        }

        var holder = Parse(current.Content);
        if (holder is null || !string.Equals(holder.Execution, execution, StringComparison.Ordinal))
        {
            // Not ours (a failed acquire, or a stale lock taken over): never remove another execution's lock.
            return new LakeLockReleased(false, holder?.Execution);
        }

        return new LakeLockReleased(await store.DeleteIfMatchAsync(bucket, LakeKeys.PipelineLock, current.ETag, cancellationToken), execution);
    }

    /// <summary>
    /// The last state of the failure path. In the pass that failed (the execution's redrive count is still the one the
    /// Catch recorded) it raises the caught error again under its own name, so the execution fails here, at a Task state
    /// a redrive re-runs. Re-run by a redrive (the count went up), it takes the lake lock back (the failure path gave it
    /// up; <see cref="LakeBusyForRedriveException"/> while another run holds it, which the definition retries) and answers with
    /// the state to resume at. A failure with no state to resume at is raised again on every redrive.
    /// </summary>
    public async Task<LakeLockResumed> FailOrResumeAsync(LakeLockRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Failure is null || request.RedriveCount is null || request.FailedAtRedrive is null)
        {
            throw new InvalidPayloadException("The lock function's failOrResume needs the caught error (error), redriveCount and failedAtRedrive.");
        }

        if (request.RedriveCount <= request.FailedAtRedrive || string.IsNullOrEmpty(request.FailedState))
        {
            throw new PipelineFailedException(request.Failure.Error ?? nameof(PipelineFailedException), UnwrapCause(request.Failure.Cause));
        }

        // The state machine's timeout starts again at a redrive, so the lock's staleness counts from now.
        try
        {
            var acquired = await AcquireAsync(request with { ExecutionStartTime = null }, cancellationToken);
            return new LakeLockResumed(request.FailedState, acquired);
        }
        catch (LakeBusyException busy)
        {
            throw new LakeBusyForRedriveException(busy.Message, busy);
        }
    }

    /// <summary>The caught Cause as the message to raise again: a Lambda error document's message, not the document.</summary>
    internal static string UnwrapCause(string? cause) =>
        string.IsNullOrEmpty(cause) ? "The run failed (no cause was recorded)." : LambdaErrors.Message(cause);

    /// <summary>The execution that holds the lake, or null when it is free (for messages and the console).</summary>
    public async Task<LakeLockDocument?> HolderAsync(string bucket, CancellationToken cancellationToken)
    {
        var current = await store.GetTaggedAsync(RequireBucket(bucket), LakeKeys.PipelineLock, cancellationToken);
        return current is null ? null : Parse(current.Content);
    }

    private static LakeLockDocument? Parse(byte[] content)
    {
        try
        {
            return JsonSerializer.Deserialize(content, HandlerJson.TypeInfo<LakeLockDocument>()) is { Execution.Length: > 0 } document ? document : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string RequireBucket(string? bucket) =>
        string.IsNullOrWhiteSpace(bucket) ? throw new InvalidPayloadException("The lock function needs the lake's bucket.") : bucket;

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}

/// <summary>
/// The lock function's payload. <c>executionStartTime</c> ($$.Execution.StartTime) plus <c>staleAfterSeconds</c> (the state
/// machine's TimeoutSeconds) is when the lock is stale; release needs only the bucket and the execution name.
/// <c>failOrResume</c> also gets the caught error (<c>error</c>), the state it was caught at (<c>failedState</c>, empty when
/// there is nothing to resume), the redrive count then (<c>failedAtRedrive</c>) and now (<c>redriveCount</c>).
/// </summary>
public sealed record LakeLockRequest(
    string Action,
    string Bucket,
    string ExecutionName,
    DateTimeOffset? ExecutionStartTime = null,
    int? StaleAfterSeconds = null,
    [property: JsonPropertyName("error")] CaughtError? Failure = null,
    string? FailedState = null,
    int? FailedAtRedrive = null,
    int? RedriveCount = null);

/// <summary>An error as a Catch records it (ResultPath <c>$.error</c>).</summary>
public sealed record CaughtError(string? Error, string? Cause);

/// <summary>failOrResume's answer in a redrive: the state to resume at, with the lake lock taken back.</summary>
public sealed record LakeLockResumed(string ResumeAt, LakeLockAcquired Lock);

/// <summary>The lock object: who holds the lake, since when, and when the lock is stale.</summary>
public sealed record LakeLockDocument(string Execution, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt);

/// <summary>acquire's answer: the lake is the execution's.</summary>
/// <param name="Holder">The execution that holds the lake now (the caller).</param>
/// <param name="AcquiredAt">When the lock was created.</param>
/// <param name="ExpiresAt">When the lock becomes stale: the execution's start plus the state machine's timeout.</param>
/// <param name="TakenOverFrom">The execution whose stale (or unreadable) lock was taken over; null when the lake was free.</param>
public sealed record LakeLockAcquired(string Holder, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt, string? TakenOverFrom);

/// <summary>release's answer.</summary>
/// <param name="Released">Whether this call removed the lock.</param>
/// <param name="HeldBy">The execution the lock named (the caller, or another execution, whose lock stays); null when there was none.</param>
public sealed record LakeLockReleased(bool Released, string? HeldBy);
