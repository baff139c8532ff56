using EdgeKv.Functions.Triggers.EventGrid;
using EdgeKv.FunctionsHost;
using Microsoft.Azure.Functions.Worker;

namespace EdgeKv.Local.Security;

/// <summary>
/// The local host's check of Functions keys, from EdgeKv's system key store (hashes only): the Event Grid webhook takes
/// the <c>eventgrid_extension</c> key, any other key-protected function the <c>default</c> host key. In Azure the
/// Functions host checks its own keys and this class is not used.
/// </summary>
public sealed class FunctionKeyVerifier(SystemKeyStore keys) : IFunctionKeyVerifier
{
    public bool Verify(string functionName, AuthorizationLevel level, string? presentedKey)
    {
        if (string.IsNullOrEmpty(presentedKey)) return false;
        string keyName = string.Equals(functionName, EventGridWebhookFunction.FunctionName,
            StringComparison.Ordinal) ? EventGridWebhookFunction.KeyName : "default";
        return keys.Verify(keyName, presentedKey);
    }
}
