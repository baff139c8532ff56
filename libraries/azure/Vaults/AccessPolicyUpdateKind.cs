namespace EdgeKv.Azure.Vaults;

/// <summary>The operation of <c>PUT .../vaults/{name}/accessPolicies/{kind}</c>.</summary>
public enum AccessPolicyUpdateKind
{
    Add,
    Replace,
    Remove,
}
