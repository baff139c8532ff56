namespace EdgeKv.Azure.Keys;

/// <summary>
/// The result of encrypt, decrypt, sign, wrapKey or unwrapKey: the key version used, the algorithm and the output
/// bytes.
/// </summary>
public sealed record KeyOperationResult(Uri KeyId, string Algorithm, byte[] Value);
