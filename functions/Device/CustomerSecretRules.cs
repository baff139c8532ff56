using System.Globalization;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Validation;

namespace EdgeKv.Functions.Device;

/// <summary>
/// What a customer secret's name, value and attributes may be. Everything is checked before the vault is touched, so a
/// bad request changes nothing; the limits are Key Vault's own (value size, tags, content type), and an expiry must lie
/// ahead (a secret written already expired would only raise an alert). No message quotes a value.
/// </summary>
public static class CustomerSecretRules
{
    /// <summary>Key Vault refuses secret values over 25 KB.</summary>
    public const int MaxValueBytes = 25 * 1024;

    /// <summary>Key Vault's limits on tags: 15 per object, names up to 512 characters, values up to 256.</summary>
    public const int MaxTags = 15;

    public const int MaxTagNameLength = 512;

    public const int MaxTagValueLength = 256;

    /// <summary>Key Vault's limit on a content type.</summary>
    public const int MaxContentTypeLength = 255;

    /// <summary>
    /// The vault's own secrets of a resource: never customer secrets, never listed, written or deleted as one.
    /// </summary>
    public static readonly string[] ReservedNames =
        [DeviceFunctions.BitLockerSecretName, DeviceFunctions.BmcSecretName,
            Activities.Activation.StoreChannelIntegrityKeyActivity.SecretName];

    public static bool IsReserved(string name) => ReservedNames.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>A 400 when <paramref name="secret"/> cannot name a customer secret; null when it can.</summary>
    public static IResult? CheckName(string? secret) =>
        IdentifierRules.IsValidSecretName(secret) && !IsReserved(secret!)
            ? null
            : AzureError.BadRequest("InvalidSecretName",
                "A customer secret name is 1-100 letters, digits and hyphens, not a device secret's name.");

    /// <summary>The attributes of a write, checked; the first problem as a 400, or the parsed expiry.</summary>
    public static IResult? CheckWrite(CustomerSecretRequest? body, DateTimeOffset now, out DateTimeOffset? expiresOn)
    {
        expiresOn = null;
        if (string.IsNullOrEmpty(body?.Value)) return AzureError.BadRequest("MissingSecretValue",
            "The body must carry a non-empty 'value'.");
        if (System.Text.Encoding.UTF8.GetByteCount(body.Value) > MaxValueBytes)
        {
            return AzureError.BadRequest("SecretValueTooLarge",
                $"A secret value is at most {MaxValueBytes} bytes (Key Vault's limit).");
        }

        if (body.ExpiresOn is not null)
        {
            if (!DateTimeOffset.TryParse(body.ExpiresOn, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal,
                out DateTimeOffset parsed)
                || !body.ExpiresOn.Contains('T', StringComparison.Ordinal))
            {
                return AzureError.BadRequest("InvalidExpiresOn",
                    "'expiresOn' must be an ISO 8601 date and time, such as 2027-01-31T00:00:00Z.");
            }

            if (parsed <= now) return AzureError.BadRequest("InvalidExpiresOn", "'expiresOn' must lie in the future.");
            if (parsed.Year > 9000) return AzureError.BadRequest("InvalidExpiresOn",
                "'expiresOn' is too far in the future.");
            expiresOn = parsed.ToUniversalTime();
        }

        if (body.ContentType is { } contentType && (contentType.Length is 0 or > MaxContentTypeLength || !IsPrintable(contentType)))
        {
            return AzureError.BadRequest("InvalidContentType",
                $"'contentType' is 1-{MaxContentTypeLength} printable characters.");
        }

        if (body.Tags is { } tags)
        {
            if (tags.Count > MaxTags) return AzureError.BadRequest("InvalidTags",
                $"A secret has at most {MaxTags} tags.");
            foreach ((string tag, string? value) in tags)
            {
                if (tag.Length is 0 or > MaxTagNameLength || !IsPrintable(tag))
                {
                    return AzureError.BadRequest("InvalidTags",
                        $"A tag name is 1-{MaxTagNameLength} printable characters.");
                }

                if (value is null || value.Length > MaxTagValueLength || !IsPrintable(value))
                {
                    return AzureError.BadRequest("InvalidTags",
                        $"A tag value is a string of at most {MaxTagValueLength} printable characters.");
                }
            }
        }

        return null;
    }

    private static bool IsPrintable(string text) => text.All(c => !char.IsControl(c) && !char.IsSurrogate(c) && c is not ('\u202A' or '\u202B' or '\u202C' or '\u202D' or '\u202E' or '\u2066' or '\u2067' or '\u2068' or '\u2069'));
}
