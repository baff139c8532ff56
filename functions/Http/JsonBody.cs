using System.Text;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace EdgeKv.Functions.Http;

/// <summary>
/// The one reader of request bodies: every function that takes a body reads it here, so each bad body gets the same 4xx
/// in Azure's error shape and never a 500: a content type other than JSON is a 415, a charset other than UTF-8 a 415,
/// more than <see cref="MaxBytes"/> a 413, and malformed JSON, nesting deeper than <see cref="MaxDepth"/>, a value of
/// the wrong shape (a number where a string goes), invalid UTF-8 or a lone surrogate a 400. Bodies are read strictly: a
/// member named twice in one object (also when the names differ only in case, as the case-insensitive binding would
/// otherwise let the last one win) is a 400, and so is a member the body's type does not take when the type says so
/// (<c>[JsonUnmappedMemberHandling(Disallow)]</c>, on the security-relevant bodies).
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxDepth = 32;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { MaxDepth = MaxDepth };

    /// <summary>Reads a required body: none at all is a 400.</summary>
    public static async Task<BodyResult<T>> ReadAsync<T>(HttpRequest request,
        CancellationToken cancellationToken) where T : class
    {
        BodyResult<T> body = await ReadOptionalAsync<T>(request, cancellationToken);
        return body is { Error: null, Value: null } ? new(null,
            AzureError.BadRequest("MissingRequestBody", "This request needs a JSON body.")) : body;
    }

    /// <summary>Reads an optional body: no content type and no content reads as null.</summary>
    public static async Task<BodyResult<T>> ReadOptionalAsync<T>(HttpRequest request,
        CancellationToken cancellationToken) where T : class
    {
        BodyResult<BinaryData> raw = await ReadJsonAsync(request, cancellationToken);
        if (raw.Error is not null || raw.Value is null) return new(null, raw.Error);
        try
        {
            return new(raw.Value.ToObjectFromJson<T>(Options), null);
        }
        catch (JsonException ex) when (UnmappedMember(ex) is { } member)
        {
            return new(null, AzureError.BadRequest("InvalidRequestContent",
                $"The request content was invalid: the member '{member}' is not one this request takes{(ex.Path is null or "$" ? "" : $" (at {ex.Path})")}."));
        }
        catch (JsonException ex)
        {
            return new(null, Invalid($"The body is not JSON of the expected shape: {ex.Message.Split('.')[0]}."));
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentException or FormatException)
        {
            return new(null, Invalid("The body is not JSON of the expected shape."));
        }
    }

    /// <summary>
    /// Reads a body that must be well-formed JSON (any <c>+json</c> media type), checked for content type, charset,
    /// size, UTF-8, depth and lone surrogates, and hands it over unparsed; no body at all reads as null.
    /// </summary>
    public static async Task<BodyResult<BinaryData>> ReadJsonAsync(HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength is > MaxBytes) return new(null, TooLarge());
        string? contentType = request.ContentType;
        if (string.IsNullOrWhiteSpace(contentType) && request.ContentLength is 0 or null && !HasChunkedBody(request)) return new(null, null);
        if (!MediaTypeHeaderValue.TryParse(contentType,
            out MediaTypeHeaderValue? media) || !IsJson(media.MediaType.Value))
        {
            return new(null, AzureError.Result(StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType",
                "The request body must be JSON: Content-Type: application/json."));
        }

        if (media.Charset.HasValue && !string.Equals(media.Charset.Value, "utf-8",
            StringComparison.OrdinalIgnoreCase) && !string.Equals(media.Charset.Value, "utf8",
                StringComparison.OrdinalIgnoreCase))
        {
            return new(null, AzureError.Result(StatusCodes.Status415UnsupportedMediaType, "UnsupportedCharset",
                "The request body must be UTF-8: charset=utf-8 or no charset."));
        }

        byte[]? bytes = await ReadBoundedAsync(request.Body, cancellationToken);
        if (bytes is null) return new(null, TooLarge());
        if (bytes.Length == 0) return new(null, null);
        try
        {
            // Strict UTF-8 first: the parser would otherwise accept some invalid sequences inside strings.
            _ = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetCharCount(bytes);
            using JsonDocument document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxDepth });
            if (HasLoneSurrogate(document.RootElement)) return new(null,
                Invalid("The body holds a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape)."));
            if (DuplicateMember(document.RootElement) is { } duplicate)
            {
                return new(null, AzureError.BadRequest("InvalidRequestContent",
                    $"The request content was invalid: the member '{duplicate}' appears more than once in one object (names that differ only in case are the same member)."));
            }

            return new(BinaryData.FromBytes(bytes), null);
        }
        catch (DecoderFallbackException)
        {
            return new(null, Invalid("The body is not valid UTF-8."));
        }
        catch (JsonException ex)
        {
            return new(null, Invalid($"The body is not valid JSON: {ex.Message.Split('.')[0]}."));
        }
    }

    private static bool IsJson(string? mediaType) =>
        string.Equals(mediaType, "application/json",
            StringComparison.OrdinalIgnoreCase) || (mediaType?.EndsWith("+json",
                StringComparison.OrdinalIgnoreCase) ?? false);

    private static bool HasChunkedBody(HttpRequest request) => request.Headers.TransferEncoding.Count > 0;

    private static async Task<byte[]?> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes) return null;
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Strings (and property names) decode to UTF-16 only if every surrogate is paired; a lone one is refused here.
    /// </summary>
    private static bool HasLoneSurrogate(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsLone(element);
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (HasLoneSurrogate(item)) return true;
                }

                return false;
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (!IsWellFormed(property.Name) || HasLoneSurrogate(property.Value)) return true;
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>The first member named twice in one object, ignoring case (as the binding does), or null.</summary>
    private static string? DuplicateMember(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (DuplicateMember(item) is { } found) return found;
                }

                return null;
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (!names.Add(property.Name)) return property.Name;
                    if (DuplicateMember(property.Value) is { } found) return found;
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The member named by the serializer's refusal of an unmapped member, or null for any other error.
    /// </summary>
    private static string? UnmappedMember(JsonException exception)
    {
        const string Marker = "could not be mapped to any .NET member";
        if (!exception.Message.Contains(Marker, StringComparison.Ordinal)) return null;
        int open = exception.Message.IndexOf('\'');
        int close = open < 0 ? -1 : exception.Message.IndexOf('\'', open + 1);
        return close > open ? exception.Message[(open + 1)..close] : "?";
    }

    private static bool IsLone(JsonElement text)
    {
        try
        {
            return !IsWellFormed(text.GetString()!);
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static bool IsWellFormed(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return false;
        }

        return true;
    }

    private static IResult Invalid(string message) => AzureError.BadRequest("InvalidRequestBody", message);

    private static IResult TooLarge() => AzureError.Result(StatusCodes.Status413PayloadTooLarge, "RequestBodyTooLarge",
        $"The request body is larger than {MaxBytes} bytes.");
}

/// <summary>
/// A body read by <see cref="JsonBody"/>: the value (null when optional and absent) or the 4xx to answer.
/// </summary>
public readonly record struct BodyResult<T>(T? Value, IResult? Error) where T : class;
