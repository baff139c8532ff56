using Azure.Core.Serialization;
using EdgeKv.Functions.Hosting;
using EdgeKv.Records.Alerts;
using EdgeKv.Tasks;
using EdgeKv.Tests.Support;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// Under the Functions host the Durable extension builds its data converter from the worker's serializer and ignores
/// one in DI (azure-functions-durable-extension, src/Worker.Extensions.DurableTask/DurableTaskExtensionStartup.cs,
/// GetConverter): the serializer of the worker as WorkerProgram builds it must be EdgeKv's JSON, which refuses a secret
/// anywhere in a payload.
/// </summary>
[TestClass]
public sealed class WorkerDataConverterTests
{
    [TestMethod]
    public void The_Azure_workers_serializer_which_the_Durable_extension_uses_refuses_a_secret_and_writes_EdgeKvs_json()
    {
        using var data = new TempDirectory("worker");
        using IHost worker = WorkerProgram.Build(["--Functions:Worker:HostEndpoint", "http://127.0.0.1:9",
            "--EdgeKv:DataPath", data.Path]);
        ObjectSerializer? serializer = worker.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.Serializer;

        Assert.IsInstanceOfType<JsonObjectSerializer>(serializer);
        Assert.ThrowsExactly<SensitivePayloadException>(() => serializer.Serialize(new Payload("cik",
            new SensitiveValue("s3cr3t"), AlertKind.VaultDeleted)));
        Assert.AreEqual("""{"name":"cik","kind":"VaultDeleted"}""", serializer.Serialize(new Payload("cik", null, AlertKind.VaultDeleted)).ToString(),
            "web names, enums by name, nulls left out: what the local host's converter writes");
    }

    private sealed record Payload(string Name, SensitiveValue? Value, AlertKind Kind);
}
