namespace EdgeKv.Emulator.KeyVault;

/// <summary>How Key Vault names a caller in a refusal: <c>appid=...;oid=...;iss=...</c>.</summary>
internal sealed record CallerText(string AppId, Guid ObjectId, string Issuer)
{
    public override string ToString() => $"appid={AppId};oid={ObjectId};iss={Issuer}";
}
