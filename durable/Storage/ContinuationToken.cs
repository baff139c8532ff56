using System.Globalization;
using System.Text;

namespace EdgeKv.Durable.Storage;

/// <summary>An opaque page cursor: the (created time, instance id) of the last instance returned.</summary>
internal static class ContinuationToken
{
    public static string Create(long createdTicks, string instanceId)
        => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{createdTicks.ToString(CultureInfo.InvariantCulture)}|{instanceId}"));

    public static bool TryParse(string? token, out long createdTicks, out string instanceId)
    {
        createdTicks = 0;
        instanceId = string.Empty;
        if (string.IsNullOrEmpty(token)) return false;
        try
        {
            string text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            int bar = text.IndexOf('|', StringComparison.Ordinal);
            if (bar <= 0 || !long.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out createdTicks)) return false;
            instanceId = text[(bar + 1)..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="token"/> is absent or well-formed; callers answer 400 otherwise.</summary>
    public static bool IsValid(string? token) => string.IsNullOrEmpty(token) || TryParse(token, out _, out _);
}
