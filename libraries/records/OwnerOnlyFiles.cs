using System.Text;

namespace EdgeKv.Records;

/// <summary>
/// Files and folders under EdgeKv's data path hold keys, credentials' hashes and the audit trail: they are created
/// readable by their owner only, with no moment in which another user could open them (the mode is set at creation,
/// not changed afterwards), and replaced atomically so a reader never sees half a file.
/// </summary>
public static class OwnerOnlyFiles
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates the folder (and its parents) owner-only; an existing folder is tightened to owner-only.
    /// </summary>
    public static string CreateFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(full);
            return full;
        }

        if (Directory.Exists(full))
        {
            if ((File.GetUnixFileMode(full) & ~FolderMode) != 0) File.SetUnixFileMode(full, FolderMode);
        }
        else
        {
            Directory.CreateDirectory(full, FolderMode);
        }

        return full;
    }

    /// <summary>
    /// Makes sure a database file exists owner-only before SQLite opens it: SQLite gives its -wal, -shm and journal
    /// files the database file's mode, so they are owner-only too. An existing file is tightened.
    /// </summary>
    public static void PrepareDatabaseFile(string path)
    {
        string full = Path.GetFullPath(path);
        CreateFolder(Path.GetDirectoryName(full)!);
        if (OperatingSystem.IsWindows()) return;
        if (File.Exists(full))
        {
            foreach (string file in new[] { full, full + "-wal", full + "-shm", full + "-journal" }.Where(File.Exists))
            {
                if ((File.GetUnixFileMode(file) & ~FileMode) != 0) File.SetUnixFileMode(file, FileMode);
            }

            return;
        }

        try
        {
            using FileStream created = new(full,
                new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write,
                    UnixCreateMode = FileMode });
        }
        catch (IOException) when (File.Exists(full))
        {
            // Another process created it first, with the same mode.
        }
    }

    /// <summary>
    /// Writes the file owner-only, atomically (a temporary file created owner-only, then moved over the target).
    /// </summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, bool overwrite = true)
    {
        string temp = CreateTemporary(path);
        try
        {
            using (FileStream stream = OpenNew(temp))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes UTF-8 text (no byte-order mark) owner-only and atomically.</summary>
    public static void WriteAllText(string path, string content, bool overwrite = true) =>
        WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content), overwrite);

    /// <summary>Asynchronous <see cref="WriteAllText"/>.</summary>
    public static async Task WriteAllTextAsync(string path, string content,
        CancellationToken cancellationToken = default)
    {
        string temp = CreateTemporary(path);
        try
        {
            await using (FileStream stream = OpenNew(temp))
            {
                await stream.WriteAsync(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content),
                    cancellationToken);
                await stream.FlushAsync(cancellationToken);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static string CreateTemporary(string path)
    {
        string full = Path.GetFullPath(path);
        CreateFolder(Path.GetDirectoryName(full)!);
        return $"{full}.{Guid.NewGuid():N}.tmp";
    }

    private static FileStream OpenNew(string path)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        return new FileStream(path, options);
    }
}
