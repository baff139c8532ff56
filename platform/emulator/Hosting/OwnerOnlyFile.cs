namespace EdgeKv.Emulator.Hosting;

/// <summary>
/// The emulator's data folder holds every vault's secrets, its token-signing key (whoever reads it can mint tokens)
/// and its TLS key: the folder and its files are created readable by the owner only, with the mode set at creation.
/// </summary>
internal static class OwnerOnlyFile
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder owner-only, or tightens an existing one.</summary>
    public static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, FolderMode);
        }
        else if ((File.GetUnixFileMode(folder) & ~FolderMode) != 0)
        {
            File.SetUnixFileMode(folder, FolderMode);
        }
    }

    /// <summary>Creates (or replaces) the file with owner-only permissions from its first byte.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        string temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        using (var stream = new FileStream(temp, options)) stream.Write(content);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// An empty database file created owner-only before SQLite opens it (its -wal and -shm files take its mode).
    /// </summary>
    public static void PrepareDatabase(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        if (File.Exists(path))
        {
            if ((File.GetUnixFileMode(path) & ~FileMode) != 0) File.SetUnixFileMode(path, FileMode);
            return;
        }

        using var created = new FileStream(path,
            new FileStreamOptions { Mode = System.IO.FileMode.OpenOrCreate, Access = FileAccess.Write,
                UnixCreateMode = FileMode });
    }
}
