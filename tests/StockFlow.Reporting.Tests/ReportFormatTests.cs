using System.Globalization;
using StockFlow.Reporting.Html;

namespace StockFlow.Reporting.Tests;

public class ReportFormatTests
{
    [Theory]
    [InlineData(0.1234, "+12.34%")]
    [InlineData(-0.0515, "\u22125.15%")]
    [InlineData(0.0, "0.00%")]
    [InlineData(1.5, "+150.00%")]
    [InlineData(null, "—")]
    public void Signed_percent(double? fraction, string expected) =>
        Assert.Equal(expected, ReportFormat.SignedPercent(fraction));

    [Fact]
    public void Formatting_ignores_the_host_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal("31.20%", ReportFormat.Percent(0.312));
            Assert.Equal("1,234,567", ReportFormat.Integer(1_234_567));
            Assert.Equal("2024-02-29", ReportFormat.Date(new DateOnly(2024, 2, 29)));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Json_for_script_cannot_close_the_element()
    {
        var json = HtmlText.JsonForScript("{\"s\":\"</script><!-- & \u2028\"}");
        Assert.DoesNotContain("<", json, StringComparison.Ordinal);
        Assert.Equal("</script><!-- & \u2028", System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("s").GetString());
    }
}
