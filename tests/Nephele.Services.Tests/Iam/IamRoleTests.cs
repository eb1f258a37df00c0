using System.Net;

namespace Nephele.Services.Tests.Iam;

public sealed class IamRoleTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    internal const string LambdaTrust =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private IamClient Iam() => new(nephele.Http());

    [Fact]
    public async Task A_role_returns_its_trust_policy_url_encoded()
    {
        var role = (await Iam().Call("CreateRole", ("RoleName", "fn-role"), ("Path", "/service/"), ("AssumeRolePolicyDocument", LambdaTrust),
            ("Description", "runs functions"), ("MaxSessionDuration", "7200"))).Element(IamClient.Ns + "Role")!;
        Assert.StartsWith("AROA", role.Text("RoleId"));
        Assert.Equal("arn:aws:iam::000000000000:role/service/fn-role", role.Text("Arn"));
        Assert.Equal(Uri.EscapeDataString(LambdaTrust), role.Text("AssumeRolePolicyDocument"));

        var got = await Iam().Call("GetRole", ("RoleName", "fn-role"));
        Assert.Equal(LambdaTrust, Uri.UnescapeDataString(got.Text("Role", "AssumeRolePolicyDocument")));
        Assert.Equal("7200", got.Text("Role", "MaxSessionDuration"));
        Assert.Equal("runs functions", got.Text("Role", "Description"));
    }

    [Fact]
    public async Task UpdateAssumeRolePolicy_replaces_the_trust_policy_after_validating_it()
    {
        await Iam().Call("CreateRole", ("RoleName", "trusting"), ("AssumeRolePolicyDocument", LambdaTrust));
        var ec2 = LambdaTrust.Replace("lambda.amazonaws.com", "ec2.amazonaws.com", StringComparison.Ordinal);
        await Iam().Call("UpdateAssumeRolePolicy", ("RoleName", "trusting"), ("PolicyDocument", ec2));
        Assert.Contains("ec2.amazonaws.com", Uri.UnescapeDataString((await Iam().Call("GetRole", ("RoleName", "trusting"))).Text("Role", "AssumeRolePolicyDocument")));

        var (_, code, message) = await Iam().Fail("UpdateAssumeRolePolicy", ("RoleName", "trusting"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"s3:GetObject"}]}"""));
        Assert.Equal("MalformedPolicyDocument", code);
        Assert.StartsWith("Trust Policy statement actions can only be", message);

        (_, code, message) = await Iam().Fail("UpdateAssumeRolePolicy", ("RoleName", "trusting"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"""));
        Assert.Equal(("MalformedPolicyDocument", "Missing required field Principal"), (code, message));
    }

    [Fact]
    public async Task Max_session_duration_outside_one_to_twelve_hours_is_a_validation_error()
    {
        var (status, code, message) = await Iam().Fail("CreateRole", ("RoleName", "too-long"), ("AssumeRolePolicyDocument", LambdaTrust), ("MaxSessionDuration", "50000"));
        Assert.Equal((HttpStatusCode.BadRequest, "ValidationError"), (status, code));
        Assert.Equal("1 validation error detected: Value '50000' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200", message);
        Assert.Equal("NoSuchEntity", (await Iam().Fail("GetRole", ("RoleName", "too-long"))).Code);
    }

    [Fact]
    public async Task A_permissions_boundary_must_be_an_existing_policy()
    {
        await Iam().Call("CreateRole", ("RoleName", "bounded"), ("AssumeRolePolicyDocument", LambdaTrust));
        var (_, code, message) = await Iam().Fail("PutRolePermissionsBoundary", ("RoleName", "bounded"), ("PermissionsBoundary", "arn:aws:iam::000000000000:policy/none"));
        Assert.Equal(("NoSuchEntity", "Policy arn:aws:iam::000000000000:policy/none does not exist or is not attachable."), (code, message));

        await Iam().Call("PutRolePermissionsBoundary", ("RoleName", "bounded"), ("PermissionsBoundary", "arn:aws:iam::aws:policy/PowerUserAccess"));
        var role = await Iam().Call("GetRole", ("RoleName", "bounded"));
        Assert.Equal("arn:aws:iam::aws:policy/PowerUserAccess", role.Text("Role", "PermissionsBoundary", "PermissionsBoundaryArn"));
        var policy = await Iam().Call("GetPolicy", ("PolicyArn", "arn:aws:iam::aws:policy/PowerUserAccess"));
        Assert.Equal("1", policy.Text("Policy", "PermissionsBoundaryUsageCount"));

        await Iam().Call("DeleteRolePermissionsBoundary", ("RoleName", "bounded"));
        Assert.Null((await Iam().Call("GetRole", ("RoleName", "bounded"))).TextOrNull("Role", "PermissionsBoundary", "PermissionsBoundaryArn"));
    }

    [Fact]
    public async Task Instance_profiles_hold_one_role_and_block_deleting_it()
    {
        await Iam().Call("CreateRole", ("RoleName", "web-role"), ("AssumeRolePolicyDocument", LambdaTrust));
        var profile = await Iam().Call("CreateInstanceProfile", ("InstanceProfileName", "web"));
        Assert.StartsWith("AIPA", profile.Text("InstanceProfile", "InstanceProfileId"));
        await Iam().Call("AddRoleToInstanceProfile", ("InstanceProfileName", "web"), ("RoleName", "web-role"));

        var got = await Iam().Call("GetInstanceProfile", ("InstanceProfileName", "web"));
        Assert.Equal(["web-role"], got.Element(IamClient.Ns + "InstanceProfile")!.Members("Roles").Select(r => r.Text("RoleName")));
        Assert.Single((await Iam().Call("ListInstanceProfilesForRole", ("RoleName", "web-role"))).Members("InstanceProfiles"));
        Assert.Equal("LimitExceeded", (await Iam().Fail("AddRoleToInstanceProfile", ("InstanceProfileName", "web"), ("RoleName", "web-role"))).Code);
        Assert.Equal("Cannot delete entity, must remove roles from instance profile first.", (await Iam().Fail("DeleteRole", ("RoleName", "web-role"))).Message);
        Assert.Equal("DeleteConflict", (await Iam().Fail("DeleteInstanceProfile", ("InstanceProfileName", "web"))).Code);

        await Iam().Call("RemoveRoleFromInstanceProfile", ("InstanceProfileName", "web"), ("RoleName", "web-role"));
        await Iam().Call("DeleteInstanceProfile", ("InstanceProfileName", "web"));
        await Iam().Call("DeleteRole", ("RoleName", "web-role"));
    }

    [Fact]
    public async Task A_service_linked_role_gets_AWSs_name_and_path_and_only_its_service_may_change_it()
    {
        var role = await Iam().Call("CreateServiceLinkedRole", ("AWSServiceName", "autoscaling.amazonaws.com"));
        Assert.Equal("AWSServiceRoleForAutoScaling", role.Text("Role", "RoleName"));
        Assert.Equal("/aws-service-role/autoscaling.amazonaws.com/", role.Text("Role", "Path"));
        Assert.Equal("arn:aws:iam::000000000000:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", role.Text("Role", "Arn"));

        Assert.Equal("UnmodifiableEntity", (await Iam().Fail("DeleteRole", ("RoleName", "AWSServiceRoleForAutoScaling"))).Code);
        var task = (await Iam().Call("DeleteServiceLinkedRole", ("RoleName", "AWSServiceRoleForAutoScaling"))).Text("DeletionTaskId");
        Assert.Equal("SUCCEEDED", (await Iam().Call("GetServiceLinkedRoleDeletionStatus", ("DeletionTaskId", task))).Text("Status"));
        Assert.Equal("NoSuchEntity", (await Iam().Fail("GetRole", ("RoleName", "AWSServiceRoleForAutoScaling"))).Code);
    }
}
