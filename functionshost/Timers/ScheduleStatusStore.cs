using System.Text.Json;

namespace EdgeKv.FunctionsHost.Timers;

/// <summary>
/// Keeps each timer's schedule status in a small JSON file under the data path, as the Functions host keeps
/// it in a blob per timer. Written atomically (temp file, then rename), so a crash never leaves half a file.
/// </summary>
public sealed class ScheduleStatusStore(string folder)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<ScheduleStatus?> ReadAsync(string timerName, CancellationToken cancellationToken)
    {
        string path = PathOf(timerName);
        if (!File.Exists(path)) return null;
        try
        {
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
        Directory.CreateDirectory(folder);
        string path = PathOf(timerName);
        string temp = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(status, Json), cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    private string PathOf(string timerName) => Path.Combine(folder, $"{timerName}.status.json");
}
