using System.Security.Cryptography;
using System.Text;

namespace EdgeKv.Durable.Hosting;

/// <summary>
/// This host's name among the hosts sharing an Azure Storage task hub: the owner written on the partitions it holds.
/// The provider's default is the machine name, so several hosts on one machine would all be one worker, each claiming
/// every partition. In order: the app setting <c>EdgeKv:TaskHub:WorkerId</c>; on App Service the instance, as the
/// Durable extension names it (<c>WEBSITE_CURRENT_STAMPNAME:RoleInstanceId</c>, in
/// Azure/azure-functions-durable-extension
/// src/WebJobs.Extensions.DurableTask/AzureStorageDurabilityProviderFactory.cs), else <c>WEBSITE_INSTANCE_ID</c>; else
/// an id generated once and kept under the data path. A kept id is held under an exclusive file lock while the host
/// runs, so a second host on the same data path takes the next slot (and its own id), and a host restarted after a
/// crash (the lock dies with the process) takes its old id back and with it its partitions.
/// </summary>
public sealed class TaskHubWorkerId : IDisposable
{
    /// <summary>The folder under the data path that holds the kept ids, one file per slot.</summary>
    public const string FolderName = "taskhub-worker";

    private const int MaxSlots = 64;

    private readonly FileStream? slot;

    private TaskHubWorkerId(string value, string source, FileStream? slot)
    {
        Value = value;
        Source = source;
        this.slot = slot;
    }

    public string Value { get; }

    /// <summary>
    /// Where <see cref="Value"/> came from: <c>setting</c>, <c>app service</c> or the kept file's path.
    /// </summary>
    public string Source { get; }

    public static TaskHubWorkerId Resolve(string? configured, Func<string, string?> environment, string dataPath)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(configured)) return new TaskHubWorkerId(configured.Trim(), "setting", null);

        string? stamp = environment("WEBSITE_CURRENT_STAMPNAME");
        string? roleInstance = environment("RoleInstanceId");
        if (!string.IsNullOrEmpty(stamp) && !string.IsNullOrEmpty(roleInstance)) return new TaskHubWorkerId($"{stamp}:{roleInstance}", "app service", null);
        if (environment("WEBSITE_INSTANCE_ID") is { Length: > 0 } instance) return new TaskHubWorkerId(instance,
            "app service", null);

        return Kept(dataPath);
    }

    private static TaskHubWorkerId Kept(string dataPath)
    {
        string folder = Path.Combine(dataPath, FolderName);
        Directory.CreateDirectory(folder);
        for (int i = 0; i < MaxSlots; i++)
        {
            string path = Path.Combine(folder, $"slot-{i}.id");
            FileStream stream;
            try
            {
                // FileShare.None is an exclusive lock (flock on Unix) held until the stream is closed or the process
                // dies.
                var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite,
                    Share = FileShare.None };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                stream = new FileStream(path, options);
            }
            catch (IOException)
            {
                continue; // another live host holds this slot
            }

            try
            {
                string id = ReadOrCreate(stream);
                return new TaskHubWorkerId(id, path, stream);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        throw new InvalidOperationException($"All {MaxSlots} worker id slots under {folder} are held by running hosts; give each host its own data path or set {DurableTaskHubOptions.LocalSectionName}:WorkerId.");
    }

    private static string ReadOrCreate(FileStream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false,
            leaveOpen: true);
        string existing = reader.ReadToEnd().Trim();
        if (existing.Length > 0) return existing;

        // The machine name keeps the id readable in the partitions table; the random part makes it unique across hosts.
        string id = $"{Environment.MachineName}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        stream.SetLength(0);
        byte[] bytes = Encoding.UTF8.GetBytes(id);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
        return id;
    }

    public void Dispose() => slot?.Dispose();
}
