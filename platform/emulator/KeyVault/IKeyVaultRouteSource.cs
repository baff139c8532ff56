namespace EdgeKv.Emulator.KeyVault;

/// <summary>A group of data-plane routes (secrets, keys).</summary>
internal interface IKeyVaultRouteSource
{
    IEnumerable<KeyVaultRoute> Routes { get; }
}
