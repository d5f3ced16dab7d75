using System.Text.RegularExpressions;
using StockFlow.ControlPlane.Api;
using StockFlow.Runtime.Local.Definitions;

namespace StockFlow.ControlPlane.StateMachines;

/// <summary>Parses and checks the names and ARNs the API receives.</summary>
internal static partial class ResourceArns
{
    /// <summary>State machine and execution names: 1-80 of letters, digits, '-' and '_' (AWS allows a few more; these are safe in paths and URLs).</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    public static string RequireName(string name, string what) =>
        IsValidName(name) ? name : throw new StepFunctionsApiException("InvalidName", $"Invalid {what} name: '{name}' (1-80 letters, digits, '-' or '_').");

    /// <summary>The state machine name of <c>arn:aws:states:REGION:ACCOUNT:stateMachine:NAME</c>.</summary>
    public static string StateMachineName(string arn)
    {
        var parts = arn.Split(':');
        return parts.Length == 7 && parts[0] == "arn" && parts[2] == "states" && parts[5] == "stateMachine" && IsValidName(parts[6])
            ? parts[6]
            : throw StepFunctionsApiException.InvalidArn(arn);
    }

    /// <summary>Checks the shape of <c>arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME</c>.</summary>
    public static string RequireExecutionArn(string arn)
    {
        var parts = arn.Split(':');
        return parts.Length == 8 && parts[0] == "arn" && parts[2] == "states" && parts[5] == "execution"
            ? arn
            : throw StepFunctionsApiException.InvalidArn(arn);
    }

    public static string StateMachineArn(string name) => LocalResourceNames.StateMachineArn(name);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,80}$")]
    private static partial Regex NamePattern();
}
