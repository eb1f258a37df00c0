using System.Net;

namespace Nephele.Services.Tests.Iam;

public sealed class IamPolicyTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private const string ReadBucket =
        """{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::bucket/*"}]}""";

    private IamClient Iam() => new(nephele.Http());

    private static string Doc(string action) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"{{action}}","Resource":"*"}]}""";

    [Fact]
    public async Task A_managed_policy_has_an_ANPA_id_and_its_document_is_returned_url_encoded()
    {
        var policy = (await Iam().Call("CreatePolicy", ("PolicyName", "read-bucket"), ("Path", "/app/"), ("PolicyDocument", ReadBucket),
            ("Description", "reads"))).Element(IamClient.Ns + "Policy")!;
        Assert.StartsWith("ANPA", policy.Text("PolicyId"));
        Assert.Equal("arn:aws:iam::000000000000:policy/app/read-bucket", policy.Text("Arn"));
        Assert.Equal("v1", policy.Text("DefaultVersionId"));

        var version = await Iam().Call("GetPolicyVersion", ("PolicyArn", policy.Text("Arn")), ("VersionId", "v1"));
        Assert.Equal(Uri.EscapeDataString(ReadBucket), version.Text("PolicyVersion", "Document"));
        Assert.Equal("true", version.Text("PolicyVersion", "IsDefaultVersion"));
        Assert.Equal("reads", (await Iam().Call("GetPolicy", ("PolicyArn", policy.Text("Arn")))).Text("Policy", "Description"));

        var (_, code, message) = await Iam().Fail("CreatePolicy", ("PolicyName", "read-bucket"), ("PolicyDocument", ReadBucket));
        Assert.Equal(("EntityAlreadyExists", "A policy called read-bucket already exists. Duplicate names are not allowed."), (code, message));
    }

    [Fact]
    public async Task Policy_versions_are_limited_to_five_and_the_default_cannot_be_deleted()
    {
        var arn = (await Iam().Call("CreatePolicy", ("PolicyName", "versioned"), ("PolicyDocument", Doc("s3:GetObject")))).Text("Policy", "Arn");
        for (var i = 2; i <= 5; i++)
        {
            var v = await Iam().Call("CreatePolicyVersion", ("PolicyArn", arn), ("PolicyDocument", Doc($"s3:Get{i}")), ("SetAsDefault", i == 3 ? "true" : "false"));
            Assert.Equal($"v{i}", v.Text("PolicyVersion", "VersionId"));
        }
        Assert.Equal("v3", (await Iam().Call("GetPolicy", ("PolicyArn", arn))).Text("Policy", "DefaultVersionId"));
        var (status, code, message) = await Iam().Fail("CreatePolicyVersion", ("PolicyArn", arn), ("PolicyDocument", Doc("s3:Get6")));
        Assert.Equal((HttpStatusCode.Conflict, "LimitExceeded"), (status, code));
        Assert.Equal("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.", message);

        Assert.Equal(("DeleteConflict", "Cannot delete the default version of a policy."),
            ((await Iam().Fail("DeletePolicyVersion", ("PolicyArn", arn), ("VersionId", "v3"))) is var f ? (f.Code, f.Message) : default));
        await Iam().Call("DeletePolicyVersion", ("PolicyArn", arn), ("VersionId", "v1"));
        // Version ids are never reused.
        Assert.Equal("v6", (await Iam().Call("CreatePolicyVersion", ("PolicyArn", arn), ("PolicyDocument", Doc("s3:Get6")))).Text("PolicyVersion", "VersionId"));
        await Iam().Call("SetDefaultPolicyVersion", ("PolicyArn", arn), ("VersionId", "v6"));
        var versions = (await Iam().Call("ListPolicyVersions", ("PolicyArn", arn))).Members("Versions");
        Assert.Equal(["v6", "v5", "v4", "v3", "v2"], versions.Select(v => v.Text("VersionId")));
        Assert.Equal("v6", versions.Single(v => v.Text("IsDefaultVersion") == "true").Text("VersionId"));
        Assert.Equal("NoSuchEntity", (await Iam().Fail("GetPolicyVersion", ("PolicyArn", arn), ("VersionId", "v1"))).Code);

        Assert.Equal("DeleteConflict", (await Iam().Fail("DeletePolicy", ("PolicyArn", arn))).Code);
        foreach (var v in new[] { "v2", "v3", "v4", "v5" }) await Iam().Call("DeletePolicyVersion", ("PolicyArn", arn), ("VersionId", v));
        await Iam().Call("DeletePolicy", ("PolicyArn", arn));
        Assert.Equal($"Policy {arn} was not found.", (await Iam().Fail("GetPolicy", ("PolicyArn", arn))).Message);
    }

    [Fact]
    public async Task Attachments_are_counted_listed_and_block_deleting_the_policy()
    {
        var arn = (await Iam().Call("CreatePolicy", ("PolicyName", "shared"), ("PolicyDocument", Doc("sqs:SendMessage")))).Text("Policy", "Arn");
        await Iam().Call("CreateUser", ("UserName", "attach-user"));
        await Iam().Call("CreateGroup", ("GroupName", "attach-group"));
        await Iam().Call("CreateRole", ("RoleName", "attach-role"), ("AssumeRolePolicyDocument", IamRoleTests.LambdaTrust));
        await Iam().Call("AttachUserPolicy", ("UserName", "attach-user"), ("PolicyArn", arn));
        await Iam().Call("AttachGroupPolicy", ("GroupName", "attach-group"), ("PolicyArn", arn));
        await Iam().Call("AttachRolePolicy", ("RoleName", "attach-role"), ("PolicyArn", arn));
        await Iam().Call("AttachRolePolicy", ("RoleName", "attach-role"), ("PolicyArn", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"));

        Assert.Equal("3", (await Iam().Call("GetPolicy", ("PolicyArn", arn))).Text("Policy", "AttachmentCount"));
        var attached = (await Iam().Call("ListAttachedRolePolicies", ("RoleName", "attach-role"))).Members("AttachedPolicies");
        Assert.Equal(["AWSLambdaBasicExecutionRole", "shared"], attached.Select(p => p.Text("PolicyName")));
        var entities = await Iam().Call("ListEntitiesForPolicy", ("PolicyArn", arn));
        Assert.Equal(["attach-user"], entities.Members("PolicyUsers").Select(u => u.Text("UserName")));
        Assert.Equal(["attach-group"], entities.Members("PolicyGroups").Select(g => g.Text("GroupName")));
        Assert.Equal(["attach-role"], entities.Members("PolicyRoles").Select(r => r.Text("RoleName")));
        Assert.Equal("Cannot delete a policy attached to entities.", (await Iam().Fail("DeletePolicy", ("PolicyArn", arn))).Message);

        await Iam().Call("DetachUserPolicy", ("UserName", "attach-user"), ("PolicyArn", arn));
        Assert.Equal("NoSuchEntity", (await Iam().Fail("DetachUserPolicy", ("UserName", "attach-user"), ("PolicyArn", arn))).Code);
        Assert.Equal("2", (await Iam().Call("GetPolicy", ("PolicyArn", arn))).Text("Policy", "AttachmentCount"));
    }

    [Fact]
    public async Task Attaching_a_policy_that_does_not_exist_is_NoSuchEntity()
    {
        await Iam().Call("CreateUser", ("UserName", "attach-nothing"));
        var (status, code, message) = await Iam().Fail("AttachUserPolicy", ("UserName", "attach-nothing"), ("PolicyArn", "arn:aws:iam::aws:policy/NoSuchPolicy"));
        Assert.Equal((HttpStatusCode.NotFound, "NoSuchEntity"), (status, code));
        Assert.Equal("Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.", message);
    }

    [Fact]
    public async Task AWS_managed_policies_exist_with_their_real_documents_and_are_listed_by_scope()
    {
        var admin = await Iam().Call("GetPolicy", ("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"));
        Assert.StartsWith("ANPA", admin.Text("Policy", "PolicyId"));
        var version = admin.Text("Policy", "DefaultVersionId");
        var doc = Uri.UnescapeDataString((await Iam().Call("GetPolicyVersion", ("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"), ("VersionId", version)))
            .Text("PolicyVersion", "Document"));
        Assert.Contains("\"Action\":\"*\"", doc);

        var aws = (await Iam().Call("ListPolicies", ("Scope", "AWS"), ("MaxItems", "1000"))).Members("Policies").Select(p => p.Text("Arn")).ToList();
        Assert.Contains("arn:aws:iam::aws:policy/ReadOnlyAccess", aws);
        Assert.Contains("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", aws);
        Assert.Contains("arn:aws:iam::aws:policy/AmazonS3FullAccess", aws);
        Assert.DoesNotContain(aws, a => a.Contains(":000000000000:", StringComparison.Ordinal));

        Assert.Equal("AccessDenied", (await Iam().Fail("CreatePolicyVersion", ("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"),
            ("PolicyDocument", Doc("s3:*")))).Code);
    }

    [Fact]
    public async Task Inline_policies_are_stored_per_identity_and_returned_url_encoded()
    {
        await Iam().Call("CreateUser", ("UserName", "inline-user"));
        await Iam().Call("PutUserPolicy", ("UserName", "inline-user"), ("PolicyName", "read"), ("PolicyDocument", ReadBucket));
        var got = await Iam().Call("GetUserPolicy", ("UserName", "inline-user"), ("PolicyName", "read"));
        Assert.Equal(Uri.EscapeDataString(ReadBucket), got.Text("PolicyDocument"));
        Assert.Equal(["read"], (await Iam().Call("ListUserPolicies", ("UserName", "inline-user"))).Members("PolicyNames").Select(n => n.Value));

        Assert.Equal("Cannot delete entity, must delete policies first.", (await Iam().Fail("DeleteUser", ("UserName", "inline-user"))).Message);
        await Iam().Call("DeleteUserPolicy", ("UserName", "inline-user"), ("PolicyName", "read"));
        Assert.Equal("The user policy with name read cannot be found.", (await Iam().Fail("GetUserPolicy", ("UserName", "inline-user"), ("PolicyName", "read"))).Message);
    }

    [Fact]
    public async Task Inline_policies_share_a_size_quota_per_identity_that_ignores_white_space()
    {
        await Iam().Call("CreateUser", ("UserName", "big-user"));
        await Iam().Call("CreateRole", ("RoleName", "big-role"), ("AssumeRolePolicyDocument", IamRoleTests.LambdaTrust));
        var actions = string.Join(",", Enumerable.Range(0, 60).Select(i => $"\"s3:GetObjectVersion{i:D3}\""));
        var big = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[{{actions}}],"Resource":"*"}]}""";
        Assert.InRange(big.Length, 1500, 2048);
        var spaced = big.Replace(",", ",      ", StringComparison.Ordinal);
        await Iam().Call("PutUserPolicy", ("UserName", "big-user"), ("PolicyName", "first"), ("PolicyDocument", spaced));

        var (status, code, message) = await Iam().Fail("PutUserPolicy", ("UserName", "big-user"), ("PolicyName", "second"), ("PolicyDocument", big));
        Assert.Equal((HttpStatusCode.Conflict, "LimitExceeded"), (status, code));
        Assert.Equal("Maximum policy size of 2048 bytes exceeded for user big-user", message);
        await Iam().Call("PutRolePolicy", ("RoleName", "big-role"), ("PolicyName", "first"), ("PolicyDocument", big));
        await Iam().Call("PutRolePolicy", ("RoleName", "big-role"), ("PolicyName", "second"), ("PolicyDocument", big));
    }

    [Theory]
    [InlineData("not json", "Syntax errors in policy.")]
    [InlineData("""{"Version":"2012-10-17"}""", "Syntax errors in policy.")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Action":"s3:*","Resource":"*"}]}""", "Syntax errors in policy.")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"s3:*","Resource":"*"}]}""", "Syntax errors in policy.")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:*","Resource":"*"}]}""", "The policy failed legacy parsing")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","NotAction":"s3:Get*","Resource":"*"}]}""", "Syntax errors in policy.")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}""", "Policy statement must contain actions.")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}""", "Policy statement must contain resources.")]
    [InlineData("""{"Version":"2013-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""", "Syntax errors in policy.")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""", "Policy document must be version 2012-10-17 or greater.")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"GetObject","Resource":"*"}]}""", "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}]}""", "Resource bucket must be in ARN format or \"*\".")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}""", "Policy document should not specify a principal.")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Sid":"a","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"a","Effect":"Deny","Action":"s3:*","Resource":"*"}]}""", "Statement IDs (SID) in a single policy must be unique.")]
    public async Task Malformed_policy_documents_are_rejected_with_IAMs_message(string document, string expected)
    {
        var (status, code, message) = await Iam().Fail("CreatePolicy", ("PolicyName", "bad-" + Guid.NewGuid().ToString("N")[..8]), ("PolicyDocument", document));
        Assert.Equal((HttpStatusCode.BadRequest, "MalformedPolicyDocument"), (status, code));
        Assert.Equal(expected, message);
    }

    [Fact]
    public async Task A_managed_policy_over_6144_characters_exceeds_the_quota()
    {
        var actions = string.Join(",", Enumerable.Range(0, 400).Select(i => $"\"s3:GetObject{i:D4}\""));
        var (status, code, message) = await Iam().Fail("CreatePolicy", ("PolicyName", "huge"),
            ("PolicyDocument", $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[{{actions}}],"Resource":"*"}]}"""));
        Assert.Equal((HttpStatusCode.Conflict, "LimitExceeded"), (status, code));
        Assert.Equal("Cannot exceed quota for PolicySize: 6144", message);
    }
}
