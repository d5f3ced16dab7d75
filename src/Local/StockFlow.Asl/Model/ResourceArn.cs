namespace StockFlow.Asl.Model;

/// <summary>Splits a Task resource ARN the way Step Functions reports it in TaskScheduled events.</summary>
public static class ResourceArn
{
    /// <returns>(resourceType, resource, region or null) — e.g. arn:aws:states:::aws-sdk:glue:startCrawler gives ("aws-sdk:glue", "startCrawler", null).</returns>
    public static (string ResourceType, string Resource, string? Region) Describe(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var parts = arn.Split(':');
        if (parts.Length < 6 || !string.Equals(parts[0], "arn", StringComparison.Ordinal))
            return ("unknown", arn, null);
        var region = parts[3].Length == 0 ? null : parts[3];
        var service = parts[2];
        if (string.Equals(service, "states", StringComparison.Ordinal) && !string.Equals(parts[5], "activity", StringComparison.Ordinal))
        {
            // arn:aws:states:::<type...>:<action>
            var rest = parts[5..];
            if (rest.Length == 1) return (rest[0], rest[0], region);
            return (string.Join(':', rest[..^1]), rest[^1], region);
        }

        if (string.Equals(service, "states", StringComparison.Ordinal)) return ("activity", arn, region);
        return (service, arn, region);
    }
}
