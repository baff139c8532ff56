using EdgeKv.Records;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// Everything under the data path (task hub, EdgeKv's databases, the audit trail, system keys, the activation-key
/// signing key, the local emulator's vault store, token-signing key and TLS key) is readable by its owner only.
/// </summary>
[TestClass]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataPathPermissionsTests
{
    private const UnixFileMode OthersAndGroup = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [TestMethod]
    public async Task Every_file_and_folder_the_host_writes_under_its_data_path_is_owner_only()
    {
        await using HostFixture host = await HostFixture.StartAsync();
        _ = host.Services.GetRequiredService<ActivationKeyCodec>(); // created on first use: force the signing key into existence
        using HttpResponseMessage put = await host.Http.PutAsync("/api/resources/perm-check",
            new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        string[] entries = [host.DataPath,
            .. Directory.EnumerateFileSystemEntries(host.DataPath, "*", SearchOption.AllDirectories)];
        string[] names = [.. entries.Select(Path.GetFileName)!];
        CollectionAssert.Contains(names, "EdgeKv.db");
        CollectionAssert.Contains(names, "security.db");
        CollectionAssert.Contains(names, "activation-signing.key");
        Assert.IsTrue(names.Any(n => n!.EndsWith(".pem", StringComparison.Ordinal) || n!.EndsWith(".pfx",
            StringComparison.Ordinal) || n!.EndsWith(".key", StringComparison.Ordinal)));
        string[] open = [.. entries.Where(e => (File.GetUnixFileMode(e) & OthersAndGroup) != 0).Select(e => $"{e} ({File.GetUnixFileMode(e)})")];
        Assert.IsEmpty(open, "readable by group or others: " + string.Join(", ", open));
    }

    [TestMethod]
    public void An_existing_world_readable_data_folder_and_database_are_tightened()
    {
        using var data = new EdgeKv.Tests.Support.TempDirectory("perm-tighten");
        string folder = Path.Combine(data.Path, "data");
        Directory.CreateDirectory(folder,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        string db = Path.Combine(folder, "x.db");
        File.WriteAllText(db, "");
        File.SetUnixFileMode(db, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        OwnerOnlyFiles.PrepareDatabaseFile(db);

        Assert.AreEqual(UnixFileMode.None, File.GetUnixFileMode(folder) & OthersAndGroup);
        Assert.AreEqual(UnixFileMode.None, File.GetUnixFileMode(db) & OthersAndGroup);
    }

    [TestMethod]
    public void An_owner_only_write_replaces_the_file_atomically_and_never_leaves_its_temporary_file()
    {
        using var data = new EdgeKv.Tests.Support.TempDirectory("perm-write");
        string path = Path.Combine(data.Path, "nested", "secret.key");

        OwnerOnlyFiles.WriteAllText(path, "one");
        OwnerOnlyFiles.WriteAllText(path, "two");

        Assert.AreEqual("two", File.ReadAllText(path));
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.HasCount(1, Directory.GetFiles(Path.GetDirectoryName(path)!));
        Assert.ThrowsExactly<IOException>(() => OwnerOnlyFiles.WriteAllText(path, "three", overwrite: false));
        Assert.AreEqual("two", File.ReadAllText(path));
        Assert.HasCount(1, Directory.GetFiles(Path.GetDirectoryName(path)!));
    }
}
