namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// Creates the database file owner-only before SQLite opens it, so there is no moment when it is readable by others.
/// SQLite gives the WAL and shared-memory files the main file's permissions when it creates them.
/// </summary>
internal static class DatabaseFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnly | UnixFileMode.UserExecute;

    public static void EnsureCreated(string path)
    {
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
            else Directory.CreateDirectory(folder, OwnerOnlyFolder);
        }

        if (File.Exists(full)) return;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write,
            Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        try
        {
            using var created = new FileStream(full, options);
        }
        catch (IOException) when (File.Exists(full))
        {
            // Another process created it first, with the same mode.
        }
    }
}
