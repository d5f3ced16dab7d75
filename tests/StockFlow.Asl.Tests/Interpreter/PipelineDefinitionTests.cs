using StockFlow.Asl;
using StockFlow.Asl.Execution;
using StockFlow.Asl.Model;

namespace StockFlow.Asl.Tests.Interpreter;

/// <summary>The project's real definition must load in the interpreter (the runtime runs it unchanged).</summary>
public class PipelineDefinitionTests
{
    private static string PipelinePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "statemachine", "pipeline.asl.json");
            if (File.Exists(candidate)) return candidate;
        }

        throw new FileNotFoundException("statemachine/pipeline.asl.json not found above the test directory");
    }

    [Fact]
    public void The_pipeline_definition_loads()
    {
        var definition = StateMachineDefinition.Parse(File.ReadAllText(PipelinePath()));
        Assert.Contains(definition.StartAt, definition.States.Keys);
        Assert.Contains(definition.States.Values, s => s is MapStateDefinition);
    }
}
