namespace StockFlow.GlueAthena.Local.Tests;

public static class Approx
{
    public const double Tolerance = 1e-9;

    public static void Equal(double? expected, double? actual, string what)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{what}: expected {Show(expected)}, got {Show(actual)}");
            return;
        }

        var scale = Math.Max(Math.Abs(expected.Value), Math.Abs(actual.Value));
        Assert.True(Math.Abs(expected.Value - actual.Value) <= (Tolerance * scale) + 1e-12, $"{what}: expected {expected:R}, got {actual:R}");
    }

    private static string Show(double? value) => value is null ? "NULL" : value.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
