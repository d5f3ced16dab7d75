using System.Net;
using Microsoft.AspNetCore.Http;
using StockFlow.ControlPlane.Security;

namespace StockFlow.ControlPlane.Tests;

public sealed class AccessGuardTests
{
    private const string Token = "0123456789abcdef-token";

    private static async Task<(int Status, bool Passed)> SendAsync(string remote, Action<HttpRequest>? configure = null)
    {
        var guard = new AccessGuard(Token, IPAddress.Any);
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Request.Host = new HostString("192.168.1.20", 8420);
        context.Request.Path = "/";
        context.Response.Body = new MemoryStream();
        configure?.Invoke(context.Request);
        var passed = false;
        await guard.InvokeAsync(context, _ =>
        {
            passed = true;
            return Task.CompletedTask;
        });
        return (context.Response.StatusCode, passed);
    }

    [Fact]
    public async Task A_remote_client_without_the_token_is_refused()
    {
        var (status, passed) = await SendAsync("192.168.1.30");
        Assert.Equal(401, status);
        Assert.False(passed);
        Assert.False((await SendAsync("192.168.1.30", r => r.Headers.Authorization = "Bearer wrong-token-wrong-token")).Passed);
        Assert.False((await SendAsync("192.168.1.30", r => r.Headers.Authorization = "AWS4-HMAC-SHA256 Credential=x")).Passed);
    }

    [Fact]
    public async Task A_remote_client_with_the_token_passes_and_loopback_always_does()
    {
        Assert.True((await SendAsync("192.168.1.30", r => r.Headers.Authorization = "Bearer " + Token)).Passed);
        Assert.True((await SendAsync("192.168.1.30", r => r.Headers["X-StockFlow-Token"] = Token)).Passed);
        Assert.True((await SendAsync("192.168.1.30", r => r.Headers.Cookie = AccessGuard.CookieName + "=" + Token)).Passed);
        Assert.True((await SendAsync("127.0.0.1")).Passed);
    }
}
