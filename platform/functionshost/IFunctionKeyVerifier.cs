using Microsoft.Azure.Functions.Worker;

namespace EdgeKv.FunctionsHost;

/// <summary>
/// Checks the key a caller presents (<c>code</c> query parameter or <c>x-functions-key</c> header) to an HTTP function
/// whose level is not anonymous, as the Functions host checks function, host and system keys. Without a verifier
/// such functions answer 401 (fail closed).
/// </summary>
public interface IFunctionKeyVerifier
{
    bool Verify(string functionName, AuthorizationLevel level, string? presentedKey);
}
