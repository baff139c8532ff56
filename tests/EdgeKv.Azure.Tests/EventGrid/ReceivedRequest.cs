namespace EdgeKv.Azure.Tests.EventGrid;

/// <summary>A request the webhook received: its <c>aeg-event-type</c>, content type, query string and body.</summary>
internal sealed record ReceivedRequest(string Kind, string ContentType, string Query, string Body);
