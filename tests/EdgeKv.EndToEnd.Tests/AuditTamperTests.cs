using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// Someone who can write the audit store (security.db) rewrites the tail of the trail and re-hashes it, linking each
/// record to the one before, as the chain was once sealed (SHA-256 of the fields): <c>/api/audit/verify</c> names the
/// first rewritten record, because the seal is an HMAC whose key that writer cannot open.
/// </summary>
[TestClass]
public sealed class AuditTamperTests
{
    [TestMethod]
    public async Task A_tail_rewritten_and_rehashed_by_the_stores_writer_is_caught_by_verify()
    {
        await using InProcessHost host = await InProcessHost.StartAsync();
        for (int i = 0; i < 4; i++)
        {
            using HttpResponseMessage put = await host.Api.Http.PutAsJsonAsync($"/api/roleAssignments/tamper-{i}",
                new { principalId = "0b1d0c1a-0000-4000-8000-0000000000f" + i, role = "Auditor",
                    scope = "/resources/ase-t" });
            Assert.AreEqual(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.IsTrue((await VerifyAsync(host)).GetProperty("intact").GetBoolean());

        long firstRewritten;
        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(host.DataPath, "security.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            var records = new List<(long Seq, string Time, string?[] Fields, string Prev)>();
            await using (SqliteCommand read = connection.CreateCommand())
            {
                read.CommandText = "SELECT seq, time, principal, role, device, operation, resource, secret_name, client_ip, result, status, prev_hash FROM audit_records ORDER BY seq";
                await using SqliteDataReader reader = await read.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    string?[] fields = [.. Enumerable.Range(2,
                        9).Select(i => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i),
                            CultureInfo.InvariantCulture))];
                    records.Add((reader.GetInt64(0), reader.GetString(1), fields, reader.GetString(11)));
                }
            }

            // The last two records: their principal changed, re-hashed and re-linked from the intact record before
            // them.
            Assert.IsGreaterThan(3, records.Count);
            firstRewritten = records[^2].Seq;
            string previous = records[^2].Prev;
            await using (SqliteCommand drop = connection.CreateCommand())
            {
                drop.CommandText = "DROP TRIGGER audit_no_update";
                await drop.ExecuteNonQueryAsync();
            }

            foreach ((long seq, string time, string?[] fields, _) in records.TakeLast(2))
            {
                fields[0] = "0b1d0c1a-0000-4000-8000-00000000dead";
                string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f',
                    fields.Prepend(time).Prepend(previous)))));
                await using SqliteCommand update = connection.CreateCommand();
                update.CommandText = "UPDATE audit_records SET principal = $p, prev_hash = $prev, hash = $h WHERE seq = $s";
                update.Parameters.AddWithValue("$p", fields[0]);
                update.Parameters.AddWithValue("$prev", previous);
                update.Parameters.AddWithValue("$h", hash);
                update.Parameters.AddWithValue("$s", seq);
                await update.ExecuteNonQueryAsync();
                previous = hash;
            }
        }

        JsonElement verdict = await VerifyAsync(host);
        Assert.IsFalse(verdict.GetProperty("intact").GetBoolean(), verdict.ToString());
        Assert.AreEqual(firstRewritten, verdict.GetProperty("firstBrokenSequence").GetInt64());
    }

    private static async Task<JsonElement> VerifyAsync(InProcessHost host)
    {
        using HttpResponseMessage response = await host.Api.Http.GetAsync("/api/audit/verify");
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
