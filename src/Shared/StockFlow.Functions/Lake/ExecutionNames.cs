using StockFlow.Functions.Hosting;

namespace StockFlow.Functions.Lake;

/// <summary>
/// Step Functions execution names (1-80 of letters, digits, '-' and '_') become key segments,
/// so they are checked like symbols before they touch a key.
/// </summary>
public static class ExecutionNames
{
    /// <summary>The name, checked.</summary>
    /// <exception cref="InvalidExecutionNameException">The name is empty, longer than 80 characters or has another character.</exception>
    public static string Validate(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 80 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new InvalidExecutionNameException(
                $"'{name}' is not a valid execution name: use 1 to 80 letters, digits, '-' or '_'.");
        }

        return name;
    }
}
