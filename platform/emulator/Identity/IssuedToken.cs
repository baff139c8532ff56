namespace EdgeKv.Emulator.Identity;

/// <summary>An access token and its expiry.</summary>
internal sealed record IssuedToken(string AccessToken, DateTimeOffset ExpiresOn);
