using System.Globalization;
using System.Net;
using System.Net.Sockets;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace StockFlow.Functions.Tests.Pipeline;

/// <summary>A WireMock server bound to 127.0.0.1 only, with helpers for fixed answers and answer sequences.</summary>
public sealed class LoopbackStub : IDisposable
{
    public LoopbackStub()
    {
        Server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}"] });
    }

    public WireMockServer Server { get; }

    public Uri BaseUrl => new(Server.Urls[0] + "/");

    public void Respond(string path, int status, string body, string contentType = "application/json", TimeSpan? delay = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body);
        if (delay is { } d)
        {
            response = response.WithDelay(d);
        }

        Server.Given(Request.Create().WithPath(path).UsingGet()).RespondWith(response);
    }

    /// <summary>Answers GETs of <paramref name="path"/> whose query parameter <paramref name="name"/> is <paramref name="value"/>.</summary>
    public void RespondToParam(string path, string name, string value, int status, string body, string contentType)
    {
        Server.Given(Request.Create().WithPath(path).WithParam(name, value).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body));
    }

    /// <summary>Answers the calls to <paramref name="path"/> in order; the last answer repeats.</summary>
    public void Sequence(string path, params (int Status, string Body, string ContentType)[] answers)
    {
        var scenario = "seq-" + path;
        for (var i = 0; i < answers.Length; i++)
        {
            var (status, body, contentType) = answers[i];
            var given = Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario(scenario);
            if (i > 0)
            {
                given = given.WhenStateIs(i.ToString(CultureInfo.InvariantCulture));
            }

            if (i < answers.Length - 1)
            {
                given = given.WillSetStateTo((i + 1).ToString(CultureInfo.InvariantCulture));
            }

            given.RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body));
        }
    }

    public IReadOnlyList<Uri> Calls(string path) =>
        Server.LogEntries.Where(e => e.RequestMessage.Path == path).Select(e => new Uri(e.RequestMessage.Url)).ToList();

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
