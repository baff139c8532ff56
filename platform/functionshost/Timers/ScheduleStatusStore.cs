using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;

namespace EdgeKv.FunctionsHost.Timers;

/// <summary>
/// Keeps each timer's schedule status as the Functions host does, one blob per timer: in a small JSON file under the
/// data path (written atomically: temp file, then rename, so a crash never leaves half a file), or, with several hosts,
/// as a blob in a container of the shared storage account, so every host sees the last occurrence any host ran.
/// </summary>
public sealed class ScheduleStatusStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string? folder;
    private readonly BlobContainerClient? container;

    public ScheduleStatusStore(string folder) => this.folder = folder;

    public ScheduleStatusStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        this.container = container;
    }

    public async Task<ScheduleStatus?> ReadAsync(string timerName, CancellationToken cancellationToken)
    {
        try
        {
            if (container is not null)
            {
                try
                {
                    BinaryData content = (await container.GetBlobClient(BlobName(timerName)).DownloadContentAsync(cancellationToken)).Value.Content;
                    return content.ToObjectFromJson<ScheduleStatus>(Json);
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    return null;
                }
            }

            string path = PathOf(timerName);
            if (!File.Exists(path)) return null;
            await using FileStream stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<ScheduleStatus>(stream, Json, cancellationToken);
        }
        catch (JsonException)
        {
            return null; // an unreadable status only loses past-due detection for one occurrence
        }
    }

    public async Task WriteAsync(string timerName, ScheduleStatus status, CancellationToken cancellationToken)
    {
        if (container is not null)
        {
            // Last writer wins, as with the Functions host's status blobs: every host writes the same schedule's
            // occurrences.
            await container.GetBlobClient(BlobName(timerName)).UploadAsync(BinaryData.FromObjectAsJson(status, Json),
                overwrite: true, cancellationToken);
            return;
        }

        Directory.CreateDirectory(folder!);
        string path = PathOf(timerName);
        string temp = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(status, Json), cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    private static string BlobName(string timerName) => $"{timerName}.status.json";

    private string PathOf(string timerName) => Path.Combine(folder!, BlobName(timerName));
}
