using System.Globalization;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Records.Alerts;
using Microsoft.Extensions.Options;

namespace EdgeKv.Activities.Secrets;

/// <summary>
/// Which of a vault's secrets expire soon or have expired, from the attributes a secret list already carries (no value
/// is read, no call is added). Disabled secrets are left out: nobody reads them. One observation per kind and resource
/// (an alert is one per resource and kind), naming each secret and its expiry; a secret written again with a later
/// expiry is no longer found, so the next sweep resolves the alert.
/// </summary>
public sealed class SecretExpiryCheck(IOptions<SecretLifecycleSettings> settings, TimeProvider time)
{
    /// <summary>
    /// The findings for the secrets of <paramref name="resource"/>'s vault, as listed (the newest version's
    /// attributes).
    /// </summary>
    public IReadOnlyList<AlertObservation> Check(string resource, IEnumerable<SecretProperties> secrets) =>
        Check(resource, secrets, time.GetUtcNow(), settings.Value.NearExpiryWindow);

    public static IReadOnlyList<AlertObservation> Check(string resource, IEnumerable<SecretProperties> secrets,
        DateTimeOffset now, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var expired = new List<string>();
        var near = new List<string>();
        foreach (SecretProperties secret in secrets.Where(s => s.Enabled != false && s.Managed != true && s.ExpiresOn is not null).OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            string named = $"'{secret.Name}' ({secret.ExpiresOn!.Value.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)})";
            if (secret.ExpiresOn <= now) expired.Add(named);
            else if (secret.ExpiresOn <= now + window) near.Add(named);
        }

        var found = new List<AlertObservation>();
        if (expired.Count > 0) found.Add(new AlertObservation(resource, AlertKind.SecretExpired, $"Secrets of '{resource}' expired: {string.Join(", ", expired)}."));
        if (near.Count > 0)
        {
            found.Add(new AlertObservation(resource, AlertKind.SecretNearExpiry,
                $"Secrets of '{resource}' expire within {window.TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days: {string.Join(", ", near)}."));
        }

        return found;
    }
}
