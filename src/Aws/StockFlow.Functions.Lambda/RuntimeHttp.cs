using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace StockFlow.Functions.Lambda;

/// <summary>One HTTP/1.1 answer: status, headers (case-insensitive) and the whole body.</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Headers">The response headers, by name (case-insensitive).</param>
/// <param name="Body">The whole body.</param>
public sealed record RuntimeHttpResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The header's value, or null when the answer has none.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A minimal HTTP/1.1 client for the Runtime API on loopback: one kept-alive connection, requests
/// with a Content-Length body, answers with Content-Length, chunked or close-delimited bodies.
/// HttpClient's first request cost more CPU than the rest of the runtime's start together
/// (bench/lambda-coldstart), and this endpoint needs none of its features (no TLS, proxies, redirects).
/// </summary>
/// <param name="hostAndPort">The endpoint, <c>host:port</c> (the Runtime API's address).</param>
public sealed class RuntimeHttp(string hostAndPort) : IDisposable
{
    private const int MaxHeaderBytes = 64 * 1024;

    private readonly (string Host, int Port) _endpoint = Parse(hostAndPort);
    private Socket? _socket;
    private Reader? _reader;

    /// <summary>Sends one request on the kept-alive connection (opening it when needed) and reads the whole answer.</summary>
    /// <param name="method">The HTTP method (<c>GET</c>, <c>POST</c>).</param>
    /// <param name="path">The request path, escaped.</param>
    /// <param name="body">The request body; null for none.</param>
    /// <param name="headers">Headers besides Host and Content-Length.</param>
    /// <param name="cancellationToken">Cancels the request; the connection is then closed.</param>
    public async Task<RuntimeHttpResponse> SendAsync(string method, string path, byte[]? body, IReadOnlyList<(string Name, string Value)> headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var request = new StringBuilder()
            .Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(hostAndPort).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (body is not null)
        {
            request.Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        request.Append("\r\n");
        var head = Encoding.ASCII.GetBytes(request.ToString());

        // A kept-alive connection the server closed in between fails on first use: reconnect once.
        for (var attempt = 0; ; attempt++)
        {
            var reused = _socket is not null;
            try
            {
                var (socket, reader) = await ConnectedAsync(cancellationToken);
                await socket.SendAsync(head, SocketFlags.None, cancellationToken);
                if (body is { Length: > 0 })
                {
                    await socket.SendAsync(body, SocketFlags.None, cancellationToken);
                }

                var response = await ReadResponseAsync(reader, cancellationToken);
                if (string.Equals(response.Header("Connection"), "close", StringComparison.OrdinalIgnoreCase))
                {
                    Close();
                }

                return response;
            }
            catch (Exception e) when (e is SocketException or IOException && reused && attempt == 0)
            {
                Close();
            }
            catch
            {
                Close();
                throw;
            }
        }
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => Close();

    private async Task<(Socket, Reader)> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (_socket is null || _reader is null)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(_endpoint.Host, _endpoint.Port, cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            _socket = socket;
            _reader = new Reader(socket);
        }

        return (_socket, _reader);
    }

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
        _reader = null;
    }

    private static async Task<RuntimeHttpResponse> ReadResponseAsync(Reader reader, CancellationToken cancellationToken)
    {
        var statusLine = await reader.ReadLineAsync(cancellationToken) ?? throw new IOException("The Runtime API closed the connection before answering.");
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new IOException($"The Runtime API answered with a malformed status line: '{statusLine}'.");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var headerBytes = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { Length: > 0 } line)
        {
            headerBytes += line.Length;
            if (headerBytes > MaxHeaderBytes)
            {
                throw new IOException("The Runtime API's answer headers are too large.");
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                var name = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                headers[name] = headers.TryGetValue(name, out var earlier) ? $"{earlier}, {value}" : value;
            }
        }

        byte[] body;
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = await ReadChunkedAsync(reader, cancellationToken);
        }
        else if (headers.TryGetValue("Content-Length", out var lengthText))
        {
            if (!long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > int.MaxValue)
            {
                throw new IOException($"The Runtime API sent an invalid Content-Length '{lengthText}'.");
            }

            body = await reader.ReadExactlyAsync((int)length, cancellationToken);
        }
        else if (status is 204 or 304 || status < 200)
        {
            body = [];
        }
        else
        {
            headers["Connection"] = "close";
            body = await reader.ReadToEndAsync(cancellationToken);
        }

        return new RuntimeHttpResponse(status, headers, body);
    }

    private static async Task<byte[]> ReadChunkedAsync(Reader reader, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await reader.ReadLineAsync(cancellationToken) ?? throw new IOException("The Runtime API's chunked answer ended early.");
            var semicolon = sizeLine.IndexOf(';', StringComparison.Ordinal);
            var sizeText = (semicolon >= 0 ? sizeLine[..semicolon] : sizeLine).Trim();
            if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                throw new IOException($"The Runtime API sent an invalid chunk size '{sizeLine}'.");
            }

            if (size == 0)
            {
                // Trailers, then the empty line that ends the message.
                while (await reader.ReadLineAsync(cancellationToken) is { Length: > 0 })
                {
                }

                return body.ToArray();
            }

            body.Write(await reader.ReadExactlyAsync(size, cancellationToken));
            if (await reader.ReadLineAsync(cancellationToken) is not { Length: 0 })
            {
                throw new IOException("The Runtime API's chunk did not end with CRLF.");
            }
        }
    }

    private static (string Host, int Port) Parse(string hostAndPort)
    {
        var colon = hostAndPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostAndPort.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new LambdaConfigurationException($"{LambdaEnvironment.RuntimeApiVariable} must be host:port, not '{hostAndPort}'.");
        }

        return (hostAndPort[..colon].Trim('[', ']'), port);
    }

    /// <summary>Buffered reads of lines (CRLF or LF) and byte counts from the socket.</summary>
    private sealed class Reader(Socket socket)
    {
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            using var line = new MemoryStream();
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline >= 0)
                {
                    line.Write(_buffer, _start, newline - _start);
                    _start = newline + 1;
                    var bytes = line.ToArray();
                    var length = bytes.Length > 0 && bytes[^1] == (byte)'\r' ? bytes.Length - 1 : bytes.Length;
                    return Encoding.Latin1.GetString(bytes, 0, length);
                }

                line.Write(_buffer, _start, _end - _start);
                _start = _end;
                if (line.Length > MaxHeaderBytes)
                {
                    throw new IOException("The Runtime API sent a line that is too long.");
                }

                if (!await FillAsync(cancellationToken))
                {
                    return line.Length == 0 ? null : throw new IOException("The Runtime API closed the connection mid-line.");
                }
            }
        }

        public async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
        {
            var result = new byte[count];
            var filled = 0;
            while (filled < count)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    throw new IOException($"The Runtime API closed the connection after {filled} of {count} body bytes.");
                }

                var take = Math.Min(count - filled, _end - _start);
                Buffer.BlockCopy(_buffer, _start, result, filled, take);
                _start += take;
                filled += take;
            }

            return result;
        }

        public async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken)
        {
            using var all = new MemoryStream();
            do
            {
                all.Write(_buffer, _start, _end - _start);
                _start = _end;
            }
            while (await FillAsync(cancellationToken));
            return all.ToArray();
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            _start = 0;
            _end = await socket.ReceiveAsync(_buffer, SocketFlags.None, cancellationToken);
            return _end > 0;
        }
    }
}
