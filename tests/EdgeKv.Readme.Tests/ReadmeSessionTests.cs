using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeKv.Tests.Support;

namespace EdgeKv.Readme.Tests;

/// <summary>
/// The shell session README's blocks run in: what makes a block fail, and what carries from one block to the next.
/// </summary>
[TestClass]
public sealed class ReadmeSessionTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task RunAsync_FailingCommand_StopsInItsBlock()
    {
        (int? exitCode, string output) = await RunAsync("echo one", "false\necho never");

        Assert.AreNotEqual(0, exitCode);
        Assert.Contains(ReadmeSession.BlockMarker + "2@@", output);
        Assert.DoesNotContain("never", output);
        Assert.DoesNotContain(ReadmeSession.DoneMarker, output);
    }

    [TestMethod]
    public async Task RunAsync_VariableSetInOneBlock_IsSeenByTheNext()
    {
        (int? exitCode, string output) = await RunAsync("X=42", "[ \"$X\" = 42 ]");

        Assert.AreEqual(0, exitCode, output);
        Assert.Contains(ReadmeSession.DoneMarker, output);
    }

    [TestMethod]
    public async Task RunAsync_CurlAnsweredWithHttpError_FailsTheBlock()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task server = AnswerOnceAsync(listener,
            "HTTP/1.1 401 Unauthorized\r\nContent-Length: 12\r\nConnection: close\r\n\r\nunauthorized");

        (int? exitCode, string output) = await RunAsync($"curl -s http://127.0.0.1:{port}/api/resources\necho after");
        await server;

        Assert.AreNotEqual(0, exitCode);
        Assert.Contains("unauthorized", output);
        Assert.DoesNotContain("after", output);
    }

    [TestMethod]
    public async Task RunAsync_ReadmesHostAddress_IsReplacedByTheTestsPort()
    {
        string repository = Repository();
        using var folder = new TempDirectory("edgekv-readme-session");
        await using var session = new ReadmeSession(repository, folder.Path);

        (int? exitCode, string output) = await session.RunAsync([Block(1, "echo http://localhost:7071/api")],
            TestContext.CancellationToken);

        Assert.AreEqual(0, exitCode, output);
        Assert.Contains($"http://localhost:{session.Port}/api", output);
    }

    private async Task<(int? ExitCode, string Output)> RunAsync(params string[] codes)
    {
        using var folder = new TempDirectory("edgekv-readme-session");
        await using var session = new ReadmeSession(Repository(), folder.Path);
        return await session.RunAsync([.. codes.Select((code, i) => Block(i + 1, code))],
            TestContext.CancellationToken);
    }

    private static ReadmeBlock Block(int number, string code) => new(number, number * 10, "test", ReadmeBlockRole.Run,
        code + "\n", null);

    private async Task AnswerOnceAsync(TcpListener listener, string response)
    {
        using TcpClient client = await listener.AcceptTcpClientAsync(TestContext.CancellationToken);
        NetworkStream stream = client.GetStream();
        var buffer = new byte[4096];
        var request = new StringBuilder();
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await stream.ReadAsync(buffer, TestContext.CancellationToken);
            if (read == 0) break;
            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(response), TestContext.CancellationToken);
    }

    private static string Repository()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "EdgeKv.sln"))) root = Path.GetDirectoryName(root.TrimEnd('/'))!;
        return root;
    }
}
