using System.Globalization;
using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Asl.Distributed;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.ControlPlane.Api;

/// <summary>ListMapRuns, DescribeMapRun and ListExecutions with a mapRunArn, over the store's recorded Map Runs.</summary>
internal sealed class MapRunApi(ExecutionStore store)
{
    public JsonObject ListMapRuns(JsonObject request)
    {
        var executionArn = AwsJson.String(request, "executionArn", required: true)!;
        StateMachines.ResourceArns.RequireExecutionArn(executionArn);
        if (store.FindByArn(executionArn) is null)
        {
            throw StepFunctionsApiException.ExecutionDoesNotExist(executionArn);
        }

        var size = AwsJson.Int(request, "maxResults", 100, 0, 1000);
        var runs = store.ListMapRuns(executionArn);
        var scope = "ListMapRuns:" + executionArn;
        var start = AwsJson.String(request, "nextToken") is { } token ? int.Parse(AwsJson.DecodeToken(token, scope), CultureInfo.InvariantCulture) : 0;
        var page = runs.Skip(start).Take(size).Select(r =>
        {
            var item = new JsonObject
            {
                ["executionArn"] = r.ExecutionArn,
                ["mapRunArn"] = r.MapRunArn,
                ["stateMachineArn"] = StateMachineArnOf(r.MapRunArn),
                ["startDate"] = AwsJson.Timestamp(r.StartDate),
            };
            if (r.StopDate is { } stop)
            {
                item["stopDate"] = AwsJson.Timestamp(stop);
            }

            return (JsonNode)item;
        }).ToArray();
        var response = new JsonObject { ["mapRuns"] = new JsonArray(page) };
        if (start + size < runs.Count)
        {
            response["nextToken"] = AwsJson.EncodeToken(scope, AwsJson.Format(start + size));
        }

        return response;
    }

    public JsonObject DescribeMapRun(JsonObject request)
    {
        var run = Find(AwsJson.String(request, "mapRunArn", required: true)!);
        // The record's own DescribeMapRun shape, with AWS JSON 1.0's epoch-second timestamps.
        var response = run.ToDescribeJson();
        response["startDate"] = AwsJson.Timestamp(run.StartDate);
        SetOrRemove(response, "stopDate", run.StopDate);
        SetOrRemove(response, "redriveDate", run.RedriveDate);
        return response;
    }

    private static void SetOrRemove(JsonObject json, string field, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            json[field] = AwsJson.Timestamp(v);
        }
        else
        {
            json.Remove(field);
        }
    }

    /// <summary>A Map Run's child executions, as ListExecutions with mapRunArn lists them.</summary>
    public JsonObject ListChildExecutions(string mapRunArn, JsonObject request)
    {
        var run = Find(mapRunArn);
        var size = AwsJson.Int(request, "maxResults", 100, 0, 1000);
        var status = AwsJson.String(request, "statusFilter");
        var scope = "ListExecutions:" + mapRunArn + ":" + status;
        var start = AwsJson.String(request, "nextToken") is { } token ? int.Parse(AwsJson.DecodeToken(token, scope), CultureInfo.InvariantCulture) : 0;
        var children = store.GetChildren(run.MapRunArn).Where(c => status is null || c.Status == status).ToList();
        var machine = StateMachineArnOf(run.MapRunArn);
        var parts = run.MapRunArn.Split(':');
        var childPrefix = string.Join(':', parts[..5]) + ":execution:" + parts[6] + ":";
        var page = children.Skip(start).Take(size).Select(c =>
        {
            var item = new JsonObject
            {
                ["executionArn"] = childPrefix + c.Name,
                ["stateMachineArn"] = machine,
                ["name"] = c.Name,
                ["status"] = c.Status,
                ["startDate"] = AwsJson.Timestamp(c.StartDate),
                ["mapRunArn"] = run.MapRunArn,
                ["itemCount"] = c.ItemCount,
            };
            if (c.StopDate is { } stop)
            {
                item["stopDate"] = AwsJson.Timestamp(stop);
            }

            return (JsonNode)item;
        }).ToArray();
        var response = new JsonObject { ["executions"] = new JsonArray(page) };
        if (start + size < children.Count)
        {
            response["nextToken"] = AwsJson.EncodeToken(scope, AwsJson.Format(start + size));
        }

        return response;
    }

    private MapRunRecord Find(string mapRunArn)
    {
        var parts = mapRunArn.Split(':');
        if (parts.Length < 7 || parts[0] != "arn" || parts[5] != "mapRun")
        {
            throw StepFunctionsApiException.InvalidArn(mapRunArn);
        }

        return store.FindMapRun(mapRunArn) ?? throw new StepFunctionsApiException("ResourceNotFound", $"Map Run Does Not Exist: '{mapRunArn}'");
    }

    /// <summary><c>arn:aws:states:R:A:mapRun:MACHINE/LABEL:ID</c> belongs to <c>arn:aws:states:R:A:stateMachine:MACHINE/LABEL</c>.</summary>
    private static string StateMachineArnOf(string mapRunArn)
    {
        var parts = mapRunArn.Split(':');
        return string.Join(':', parts[..5]) + ":stateMachine:" + parts[6];
    }
}
