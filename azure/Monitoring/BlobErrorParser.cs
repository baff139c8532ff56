using System.Xml.Linq;
using global::Azure;
using global::Azure.Core;

namespace EdgeKv.Azure.Monitoring;

/// <summary>Reads the Blob service's errors (<c>x-ms-error-code</c> and the XML <c>&lt;Error&gt;</c> body) for <see cref="RequestFailedException"/>.</summary>
internal sealed class BlobErrorParser : RequestFailedDetailsParser
{
    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        data = null;
        string? message = null;
        try
        {
            message = (string?)XElement.Parse(response.Content.ToString()).Element("Message");
        }
        catch (System.Xml.XmlException)
        {
        }

        response.Headers.TryGetValue("x-ms-error-code", out var code);
        error = code is null && message is null ? null : new ResponseError(code, message);
        return error is not null;
    }
}
