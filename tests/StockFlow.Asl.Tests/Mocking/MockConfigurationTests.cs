using StockFlow.Asl.Mocking;
using StockFlow.Asl.Tests.Expressions;

namespace StockFlow.Asl.Tests.Mocking;

public class MockConfigurationTests
{
    /// <summary>The example from the AWS guide's "Configuration file for mocked service integrations".</summary>
    public const string AwsExample = """
        {
          "StateMachines":{
            "LambdaSQSIntegration":{
              "TestCases":{
                "HappyPath":{"LambdaState":"MockedLambdaSuccess","SQSState":"MockedSQSSuccess"},
                "RetryPath":{"LambdaState":"MockedLambdaRetry","SQSState":"MockedSQSSuccess"},
                "HybridPath":{"LambdaState":"MockedLambdaSuccess"}
              }
            }
          },
          "MockedResponses":{
            "MockedLambdaSuccess":{"0":{"Return":{"StatusCode":200,"Payload":{"StatusCode":200,"body":"Hello from Lambda!"}}}},
            "LambdaMockedResourceNotReady":{"0":{"Throw":{"Error":"Lambda.ResourceNotReadyException","Cause":"Lambda resource is not ready."}}},
            "MockedSQSSuccess":{"0":{"Return":{"MD5OfMessageBody":"3bcb6e8e","MessageId":"3bcb6e8e-8b51"}}},
            "MockedLambdaRetry":{
              "0":{"Throw":{"Error":"Lambda.ResourceNotReadyException","Cause":"Lambda resource is not ready."}},
              "1-2":{"Throw":{"Error":"Lambda.TimeoutException","Cause":"Lambda timed out."}},
              "3":{"Return":{"StatusCode":200,"Payload":{"StatusCode":200,"body":"Hello from Lambda!"}}}
            }
          }
        }
        """;

    [Fact]
    public void Parses_the_aws_example()
    {
        var config = MockConfiguration.Parse(AwsExample);
        Assert.Equal("MockedLambdaRetry", config.GetTestCase("LambdaSQSIntegration", "RetryPath")["LambdaState"]);
        var retry = config.MockedResponses["MockedLambdaRetry"];
        Assert.Equal(4, retry.Outcomes.Count);
        Assert.Equal(new MockedThrow("Lambda.ResourceNotReadyException", "Lambda resource is not ready."), retry.ForInvocation(0));
        Assert.Equal(new MockedThrow("Lambda.TimeoutException", "Lambda timed out."), retry.ForInvocation(1));
        Assert.Equal(retry.ForInvocation(1), retry.ForInvocation(2));
        var last = Assert.IsType<MockedReturn>(retry.ForInvocation(3));
        Json.Equal("""{"StatusCode":200,"Payload":{"StatusCode":200,"body":"Hello from Lambda!"}}""", last.Value);
        Assert.Null(retry.ForInvocation(4));
    }

    [Fact]
    public void Unknown_state_machine_or_test_case_lists_what_exists()
    {
        var config = MockConfiguration.Parse(AwsExample);
        Assert.Contains("LambdaSQSIntegration", Assert.Throws<KeyNotFoundException>(() => config.GetTestCase("Other", "HappyPath")).Message, StringComparison.Ordinal);
        Assert.Contains("HappyPath, HybridPath, RetryPath", Assert.Throws<KeyNotFoundException>(() => config.GetTestCase("LambdaSQSIntegration", "Nope")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "$")]
    [InlineData("""{"StateMachines":{},"MockedResponses":{},"Extra":1}""", "$.Extra")]
    [InlineData("""{"StateMachines":{}}""", "$.MockedResponses")]
    [InlineData("""{"StateMachines":{"sm":{"TestCases":{"c":{"S":"Missing"}}}},"MockedResponses":{}}""", "$.StateMachines.sm.TestCases.c.S")]
    [InlineData("""{"StateMachines":{"sm":{"TestCases":{"c":{"S":1}}}},"MockedResponses":{}}""", "$.StateMachines.sm.TestCases.c.S")]
    [InlineData("""{"StateMachines":{"sm":{"Cases":{}}},"MockedResponses":{}}""", "$.StateMachines.sm")]
    [InlineData("""{"StateMachines":{},"MockedResponses":{"R":{}}}""", "$.MockedResponses.R")]
    [InlineData("""{"StateMachines":{},"MockedResponses":{"R":{"first":{"Return":1}}}}""", "$.MockedResponses.R[\"first\"]")]
    [InlineData("""{"StateMachines":{},"MockedResponses":{"R":{"2-1":{"Return":1}}}}""", "$.MockedResponses.R[\"2-1\"]")]
    [InlineData("""{"StateMachines":{},"MockedResponses":{"R":{"0":{"Return":1},"0-1":{"Return":2}}}}""", "$.MockedResponses.R[\"0-1\"]")]
    [InlineData("""{"StateMachines":{},"MockedResponses":{"R":{"0":{"Return":1},"2":{"Return":2}}}}""", "$.MockedResponses.R")]
    [InlineData("""{"StateMachines":{},"MockedResponses":{"R":{"0":{"Return":1,"Throw":{}}}}}""", "$.MockedResponses.R[\"0\"]")]
    [InlineData("""{"StateMachines":{},"MockedResponses":{"R":{"0":{"Throw":{"Cause":"c"}}}}}""", "$.MockedResponses.R[\"0\"].Throw.Error")]
    public void Bad_entries_are_reported_with_their_path(string json, string path)
    {
        var e = Assert.Throws<MockConfigurationException>(() => MockConfiguration.Parse(json));
        Assert.Equal(path, e.Path);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
