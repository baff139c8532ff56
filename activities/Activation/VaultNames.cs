using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Azure;
using EdgeKv.Azure.Vaults;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// Vault names: Azure's rules (3-24 letters, digits and hyphens, a letter first, a letter or digit last, no "--"), the
/// default name derived from the resource, and the check that refuses a name in use or held by a soft-deleted vault.
/// </summary>
public static partial class VaultNames
{
    /// <summary>
    /// The tag that marks a vault (and audit storage) as provisioned for a resource, so a re-run recognises its own.
    /// </summary>
    public const string OwnerTag = "edgekv-owner";

    public static bool IsValid(string? name) => name is not null && Rule().IsMatch(name) && !name.Contains("--",
        StringComparison.Ordinal);

    /// <summary>
    /// The resource's name made valid (letters and digits, a letter first, at most 15) plus 8 hex of its resource id.
    /// </summary>
    public static string DefaultFor(string resourceName, string resourceId)
    {
        ArgumentNullException.ThrowIfNull(resourceName);
        ArgumentNullException.ThrowIfNull(resourceId);
        string stem = new([.. resourceName.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);
        if (stem.Length == 0 || !char.IsAsciiLetter(stem[0])) stem = "ase" + stem;
        if (stem.Length > 15) stem = stem[..15];
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(resourceId.ToLowerInvariant())))[..8];
        return $"{stem}-{hash}";
    }

    /// <summary>
    /// Throws <see cref="ActivationRefusedException"/> when <paramref name="name"/> cannot be this resource's vault:
    /// invalid (<c>VaultNameNotValid</c>), held by a soft-deleted vault (<c>VaultNameSoftDeleted</c>) or in use by
    /// anything but this resource's own vault (<c>VaultNameInUse</c>). Returns the resource's existing vault if it is.
    /// </summary>
    public static async Task<VaultProperties?> EnsureUsableAsync(VaultsClient vaults, string resourceGroup, string name,
        string ownerResourceId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vaults);
        if (!IsValid(name))
        {
            throw new ActivationRefusedException("VaultNameNotValid",
                $"The vault name '{name}' is not valid: use 3-24 letters, digits and hyphens, start with a letter, end with a letter or digit, no consecutive hyphens.");
        }

        VaultProperties? own = await TryGetAsync(vaults, resourceGroup, name, cancellationToken);
        if (own is not null)
        {
            if (own.Tags.TryGetValue(OwnerTag, out string? owner) && string.Equals(owner, ownerResourceId,
                StringComparison.OrdinalIgnoreCase)) return own;
            throw InUse(name);
        }

        var availability = await AzureFailures.RefuseNonTransientAsync(() => vaults.CheckNameAvailabilityAsync(name,
            cancellationToken));
        if (availability.NameAvailable) return null;
        if (string.Equals(availability.Reason, "AccountNameInvalid", StringComparison.OrdinalIgnoreCase))
        {
            throw new ActivationRefusedException("VaultNameNotValid",
                $"The vault name '{name}' is not valid: {availability.Message}");
        }

        var deleted = await AzureFailures.RefuseNonTransientAsync(() => vaults.ListDeletedAsync(cancellationToken));
        if (deleted.Any(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ActivationRefusedException("VaultNameSoftDeleted",
                $"The vault name '{name}' is held by a soft-deleted vault until it is purged; recover that vault or choose another name.");
        }

        throw InUse(name);
    }

    public static async Task<VaultProperties?> TryGetAsync(VaultsClient vaults, string resourceGroup, string name,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vaults);
        try
        {
            return await vaults.GetAsync(resourceGroup, name, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException ex) when (!AzureFailures.IsTransient(ex))
        {
            throw new ActivationRefusedException(ex.ErrorCode ?? $"Http{ex.Status}", ex.Message.Split('\n')[0].Trim());
        }
    }

    private static ActivationRefusedException InUse(string name) =>
        new("VaultNameInUse", $"The vault name '{name}' is already in use by another vault; vault names are globally unique. Choose another name.");

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$")]
    private static partial Regex Rule();
}
