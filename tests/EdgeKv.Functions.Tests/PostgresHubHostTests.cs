using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// The host on a PostgreSQL task hub, configured the way an operator does it (host.json's storageProvider, overridden
/// here by arguments, and the connection string in the setting it names): a flow runs and its state is in the hub's schema.
/// </summary>
[TestClass]
public sealed class PostgresHubHostTests
{
    [TestMethod]
    public async Task The_host_runs_its_flows_on_a_postgres_hub_named_in_configuration()
    {
        string? connectionString = Environment.GetEnvironmentVariable("EDGEKV_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(connectionString)) Assert.Inconclusive("EDGEKV_TEST_POSTGRES is not set: no PostgreSQL server to test against (.ci/run starts one).");
        string hub = "HostHub" + Guid.NewGuid().ToString("N")[..10];
        try
        {
            await using HostFixture host = await HostFixture.StartAsync(extraArgs:
                ["--extensions:durableTask:hubName", hub, "--extensions:durableTask:storageProvider:type", "postgres",
                 "--extensions:durableTask:storageProvider:connectionStringName", "TestTaskHub", "--TestTaskHub", connectionString]);
            using HttpResponseMessage started = await host.Http.PostAsync("/runtime/webhooks/durabletask/orchestrators/HelloSequence",
                new StringContent("[\"Tokyo\",\"Lima\"]", Encoding.UTF8, "application/json"));
            Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync());
            JsonElement done = await host.PollUntilDoneAsync((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!);

            Assert.AreEqual("Completed", done.GetProperty("runtimeStatus").GetString(), done.ToString());
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{hub.ToLowerInvariant()}\".instances WHERE status = 1 AND name = 'HelloSequence'", connection);
            Assert.AreEqual(1L, (long)(await count.ExecuteScalarAsync())!, "the completed instance lives in the hub's own schema");
        }
        finally
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{hub.ToLowerInvariant()}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
