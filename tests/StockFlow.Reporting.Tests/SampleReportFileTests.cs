using System.Text;

namespace StockFlow.Reporting.Tests;

/// <summary>
/// Writes a 10-symbol × 2-year report to the temp directory (stockflow-report-sample.html) so it can be opened
/// in a browser or rendered headless for a visual check, and keeps the build time in bounds.
/// </summary>
public class SampleReportFileTests
{
    [Fact]
    public void Sample_report_is_written_as_utf8()
    {
        var data = SampleReportData.Create(symbolCount: 10);
        var html = ReportBuilder.Build(data);

        var path = Path.Combine(Path.GetTempPath(), "stockflow-report-sample.html");
        File.WriteAllText(path, html, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        Assert.Equal(html, File.ReadAllText(path, Encoding.UTF8));
    }
}
