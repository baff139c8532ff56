using Azure.Data.Tables;
using EdgeKv.Records.Tables;
using EdgeKv.Records.Security;

namespace EdgeKv.Records.Security.Tables;

/// <summary>
/// Role assignments in the app's storage account: one Table storage partition, one row per assignment id (a put
/// replaces it whole, as in security.db). The partition is small and read whole, as every request's permission check
/// reads the caller's assignments.
/// </summary>
public sealed class TableRoleAssignments : RoleAssignmentBackend
{
    private const string Partition = "roles";
    private readonly TableClient table;

    public TableRoleAssignments(SharedStoreAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        table = account.Table("RoleAssignments");
    }

    public override async Task<IReadOnlyList<RoleAssignment>> ListAsync(string? principalId,
        CancellationToken cancellationToken)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        if (principalId is not null) filter += " and " + TableClient.CreateQueryFilter($"PrincipalKey eq {principalId.ToLowerInvariant()}");
        var list = new List<RoleAssignment>();
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            // A row that does not describe a valid assignment grants nothing and never takes the principal's requests
            // down.
            if (RoleAssignment.ParseRole(e.GetString("Role") ?? "") is not { } role || e.GetDateTimeOffset("CreatedAt") is not { } created) continue;
            list.Add(new RoleAssignment(e.GetString("Id"), e.GetString("PrincipalId"), role, e.GetString("Scope"),
                created, e.GetString("CreatedBy")));
        }

        return [.. list.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id, StringComparer.Ordinal)];
    }

    public override async Task PutAsync(RoleAssignment assignment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        await table.UpsertEntityAsync(new TableEntity(Partition, TableKeys.Escape(assignment.Id))
        {
            ["Id"] = assignment.Id, ["PrincipalId"] = assignment.PrincipalId,
                ["PrincipalKey"] = assignment.PrincipalId.ToLowerInvariant(),
            ["Role"] = assignment.Role.ToString(), ["Scope"] = assignment.Scope, ["CreatedAt"] = assignment.CreatedAt,
            ["CreatedBy"] = assignment.CreatedBy,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public override async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        global::Azure.Response response = await table.DeleteEntityAsync(Partition, TableKeys.Escape(id),
            cancellationToken: cancellationToken);
        return response.Status != 404;
    }
}
