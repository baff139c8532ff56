using System.Globalization;

namespace EdgeKv.Bench.Sweep;

/// <summary>
/// This process's open file descriptors by kind (Linux: /proc/self/fd joined with /proc/self/net/tcp by socket inode),
/// to see what the sweep's configurations hold open against the descriptor limit: listening sockets, connections to
/// and accepted on the vault ports, on the emulator's main port, to Azurite, and everything that is not a TCP socket.
/// </summary>
/// <param name="EmulatorPort">The emulator's HTTPS port (Resource Manager, and where vault ports forward).</param>
/// <param name="AzuritePorts">Azurite's blob, queue and table ports (empty on SQLite).</param>
internal sealed record FdCensus(int EmulatorPort, IReadOnlySet<int> AzuritePorts)
{
    public static bool Supported => Directory.Exists("/proc/self/fd") && File.Exists("/proc/self/net/tcp");

    /// <summary>One count of every descriptor, as a line for the console.</summary>
    public string Take()
    {
        var sockets = new Dictionary<long, (int Local, int Remote, bool Listening)>();
        foreach (string table in new[] { "/proc/self/net/tcp", "/proc/self/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (string line in File.ReadLines(table).Skip(1))
            {
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10 || !long.TryParse(f[9], CultureInfo.InvariantCulture,
                    out long inode) || inode == 0) continue;
                sockets[inode] = (Port(f[1]), Port(f[2]), f[3] == "0A");
            }
        }

        var ownListening = new HashSet<int>(sockets.Values.Where(s => s.Listening).Select(s => s.Local));
        int total = 0, listening = 0, toVault = 0, atVault = 0, toMain = 0, atMain = 0, toAzurite = 0, otherTcp = 0,
            unknownSocket = 0, other = 0;
        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed meanwhile
            }

            total++;
            if (target is null || !target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                other++;
                continue;
            }

            if (!sockets.TryGetValue(long.Parse(target.AsSpan(8, target.Length - 9), CultureInfo.InvariantCulture),
                out var s))
            {
                unknownSocket++; // Unix sockets, UDP, or a TCP socket in another namespace
                continue;
            }

            if (s.Listening) listening++;
            else if (AzuritePorts.Contains(s.Remote)) toAzurite++;
            else if (s.Remote == EmulatorPort) toMain++;
            else if (s.Local == EmulatorPort) atMain++;
            else if (ownListening.Contains(s.Local)) atVault++; // accepted on a vault port (or the host's own ports)
            else if (ownListening.Contains(s.Remote)) toVault++;
            else otherTcp++;
        }

        return $"fds {total:N0}: listening {listening:N0}, to vault ports {toVault:N0}, accepted on vault ports {atVault:N0}, to emulator port {toMain:N0}, " +
            $"accepted on emulator port {atMain:N0}, to Azurite {toAzurite:N0}, other TCP {otherTcp:N0}, other sockets {unknownSocket:N0}, not sockets {other:N0}";
    }

    /// <summary>
    /// Samples every <paramref name="every"/> until cancelled, writing each count with the time since the start.
    /// </summary>
    public async Task WatchAsync(TimeSpan every, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Console.Error.WriteLine($"  [{watch.Elapsed.TotalSeconds,5:F0} s] {Take()}");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The port of a /proc/net/tcp address (<c>0100007F:1F90</c>).</summary>
    private static int Port(string address) => int.Parse(address.AsSpan(address.IndexOf(':',
        StringComparison.Ordinal) + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
