using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace EdgeKv.Azure.Keys;

/// <summary>
/// A JSON Web Key as Key Vault imports and answers it (RFC 7517 plus Key Vault's <c>key_hsm</c>), shaped like the Azure
/// SDK's <c>JsonWebKey</c>: <c>kty</c>, <c>key_ops</c>, RSA <c>n, e, d, p, q, dp, dq, qi</c>, EC <c>crv, x, y, d</c>,
/// and the BYOK transfer blob <c>key_hsm</c>. Private fields are never printed: <see cref="ToString"/> names the key
/// type and which parts are present, so a key that reaches a log or an exception message carries no material.
/// </summary>
public sealed class JsonWebKey
{
    /// <summary><c>kty</c>: RSA, RSA-HSM, EC or EC-HSM (<see cref="KeyTypes"/>).</summary>
    public required string KeyType { get; init; }

    /// <summary><c>key_ops</c> (<see cref="KeyOperations"/>).</summary>
    public IReadOnlyList<string> KeyOps { get; init; } = [];

    public byte[]? N { get; init; }

    public byte[]? E { get; init; }

    /// <summary>The private exponent (RSA) or private scalar (EC).</summary>
    public byte[]? D { get; init; }

    public byte[]? P { get; init; }

    public byte[]? Q { get; init; }

    public byte[]? DP { get; init; }

    public byte[]? DQ { get; init; }

    public byte[]? QI { get; init; }

    /// <summary><c>crv</c>: P-256, P-384 or P-521 (<see cref="KeyCurveNames"/>).</summary>
    public string? CurveName { get; init; }

    public byte[]? X { get; init; }

    public byte[]? Y { get; init; }

    /// <summary><c>key_hsm</c>: a Bring Your Own Key transfer blob (<see cref="ByokTransferBlob"/>).</summary>
    public byte[]? KeyHsm { get; init; }

    /// <summary>True when the key carries private material (<c>d</c>) or a transfer blob.</summary>
    public bool HasPrivateKey => D is not null || KeyHsm is not null;

    /// <summary>An RSA key as a JWK; with <paramref name="includePrivateParameters"/> it can be imported.</summary>
    public static JsonWebKey FromRsa(RSA rsa, bool includePrivateParameters, IEnumerable<string>? keyOps = null)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        var p = rsa.ExportParameters(includePrivateParameters);
        return new JsonWebKey
        {
            KeyType = KeyTypes.Rsa, KeyOps = (keyOps ?? []).ToList(), N = p.Modulus, E = p.Exponent,
            D = p.D, P = p.P, Q = p.Q, DP = p.DP, DQ = p.DQ, QI = p.InverseQ,
        };
    }

    /// <summary>
    /// An EC key (P-256, P-384, P-521) as a JWK; with <paramref name="includePrivateParameters"/> it can be imported.
    /// </summary>
    public static JsonWebKey FromECDsa(ECDsa ecdsa, bool includePrivateParameters, IEnumerable<string>? keyOps = null)
    {
        ArgumentNullException.ThrowIfNull(ecdsa);
        var p = ecdsa.ExportParameters(includePrivateParameters);
        return new JsonWebKey
        {
            KeyType = KeyTypes.Ec, KeyOps = (keyOps ?? []).ToList(), CurveName = KeyCurveNames.FromCurve(p.Curve),
            X = p.Q.X, Y = p.Q.Y, D = p.D,
        };
    }

    /// <summary>
    /// A Bring Your Own Key import: <c>kty</c> RSA-HSM or EC-HSM (with <paramref name="curveName"/>) and
    /// <c>key_hsm</c>, the transfer blob that <see cref="ByokTransferBlob"/> builds for the vault's Key Exchange Key.
    /// </summary>
    public static JsonWebKey FromByok(string keyType, byte[] keyHsm, IEnumerable<string> keyOps,
        string? curveName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyType);
        ArgumentNullException.ThrowIfNull(keyHsm);
        ArgumentNullException.ThrowIfNull(keyOps);
        return new JsonWebKey { KeyType = keyType, KeyHsm = keyHsm, KeyOps = keyOps.ToList(), CurveName = curveName };
    }

    /// <summary>The RSA public key (<c>n</c>, <c>e</c>).</summary>
    public RSA ToRsa()
    {
        if (N is null || E is null)
        {
            throw new InvalidOperationException($"The {KeyType} key has no RSA public parameters.");
        }

        var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = N, Exponent = E });
        return rsa;
    }

    /// <summary>The EC public key (<c>crv</c>, <c>x</c>, <c>y</c>).</summary>
    public ECDsa ToECDsa()
    {
        if (CurveName is null || X is null || Y is null)
        {
            throw new InvalidOperationException($"The {KeyType} key has no EC public parameters.");
        }

        return ECDsa.Create(new ECParameters { Curve = KeyCurveNames.ToCurve(CurveName),
            Q = new ECPoint { X = X, Y = Y } });
    }

    /// <summary>Names the key type and which parts are present, never their values.</summary>
    public override string ToString() =>
        $"JsonWebKey {{ kty = {KeyType}, crv = {CurveName ?? "-"}, key_ops = [{string.Join(", ", KeyOps)}], private = {(D is not null ? "present" : "absent")}, key_hsm = {(KeyHsm is not null ? "present" : "absent")} }}";

    internal JsonObject ToJson()
    {
        var jwk = new JsonObject { ["kty"] = KeyType, ["key_ops"] = JsonRead.Array(KeyOps) };
        Put(jwk, "n", N);
        Put(jwk, "e", E);
        Put(jwk, "d", D);
        Put(jwk, "p", P);
        Put(jwk, "q", Q);
        Put(jwk, "dp", DP);
        Put(jwk, "dq", DQ);
        Put(jwk, "qi", QI);
        if (CurveName is not null)
        {
            jwk["crv"] = CurveName;
        }

        Put(jwk, "x", X);
        Put(jwk, "y", Y);
        Put(jwk, "key_hsm", KeyHsm);
        return jwk;
    }

    internal static JsonWebKey FromJson(JsonObject jwk) => new()
    {
        KeyType = (string?)jwk["kty"] ?? string.Empty,
        KeyOps = JsonRead.Strings(jwk["key_ops"]),
        N = Bytes(jwk, "n"), E = Bytes(jwk, "e"), CurveName = (string?)jwk["crv"], X = Bytes(jwk, "x"),
        Y = Bytes(jwk, "y"),
    };

    private static void Put(JsonObject jwk, string name, byte[]? value)
    {
        if (value is not null)
        {
            jwk[name] = KeyMapper.Encode(value);
        }
    }

    private static byte[]? Bytes(JsonObject jwk,
        string name) => (string?)jwk[name] is { } text ? KeyMapper.Decode(text) : null;
}
