using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace StockFlow.ControlPlane.Security;

/// <summary>
/// Who may talk to the server: loopback clients always (the default listening address is
/// 127.0.0.1); other clients only with the access token, as <c>Authorization: Bearer</c>,
/// <c>X-StockFlow-Token</c>, or the cookie set by opening <c>/?token=...</c> once. The Host header
/// must name this server, so a web page on another origin cannot reach it through DNS rebinding.
/// </summary>
public sealed class AccessGuard(string? accessToken, IPAddress listenAddress)
{
    /// <summary>The cookie that carries the access token after <c>/?token=...</c> (HttpOnly, SameSite=Strict).</summary>
    public const string CookieName = "stockflow-token";

    /// <summary>
    /// The middleware: answers 421 for a foreign Host header, 403 to a remote client when the server has no token,
    /// 401 to one without the right token; anything else goes on to <paramref name="next"/>.
    /// </summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!IsAllowedHost(context.Request.Host.Host))
        {
            context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
            await context.Response.WriteAsync("This StockFlow server answers only to its own address.");
            return;
        }

        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || IPAddress.IsLoopback(remote))
        {
            await next(context);
            return;
        }

        if (accessToken is null)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (context.Request.Query.TryGetValue("token", out var fromQuery) && Matches(fromQuery.ToString()))
        {
            context.Response.Cookies.Append(CookieName, accessToken, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
            context.Response.Redirect(context.Request.Path);
            return;
        }

        var presented = context.Request.Headers["X-StockFlow-Token"].ToString();
        var authorization = context.Request.Headers.Authorization.ToString();
        if (presented.Length == 0 && authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            presented = authorization["Bearer ".Length..];
        }

        if (presented.Length == 0)
        {
            presented = context.Request.Cookies[CookieName] ?? string.Empty;
        }

        if (!Matches(presented))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync("An access token is required (open /?token=<token> once, or send Authorization: Bearer <token>).");
            return;
        }

        await next(context);
    }

    private bool Matches(string presented) =>
        accessToken is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(accessToken));

    private bool IsAllowedHost(string host)
    {
        if (host is "localhost" or "127.0.0.1" or "[::1]" or "::1")
        {
            return true;
        }

        if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return IPAddress.IsLoopback(address) || !IPAddress.IsLoopback(listenAddress);
        }

        // A name other than localhost is fine when the server is deliberately reachable from elsewhere (token required).
        return !IPAddress.IsLoopback(listenAddress);
    }
}
