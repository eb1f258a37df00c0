using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Nephele.Services.Tests.Iam;

/// <summary>Account-wide settings and reports. Each test uses its own account, so counts are its own.</summary>
public sealed class IamAccountTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private IamClient Iam(string account) => new(nephele.Http(), account);

    [Fact]
    public async Task An_account_has_one_alias_at_a_time()
    {
        var iam = Iam("300000000001");
        await iam.Call("CreateAccountAlias", ("AccountAlias", "my-company"));
        await iam.Call("CreateAccountAlias", ("AccountAlias", "my-company-2"));
        Assert.Equal(["my-company-2"], (await iam.Call("ListAccountAliases")).Members("AccountAliases").Select(a => a.Value));
        Assert.Equal("ValidationError", (await iam.Fail("CreateAccountAlias", ("AccountAlias", "Bad_Alias"))).Code);
        await iam.Call("DeleteAccountAlias", ("AccountAlias", "my-company-2"));
        Assert.Empty((await iam.Call("ListAccountAliases")).Members("AccountAliases"));
    }

    [Fact]
    public async Task The_password_policy_is_stored_and_enforced_on_login_profiles()
    {
        var iam = Iam("300000000002");
        var (status, code, message) = await iam.Fail("GetAccountPasswordPolicy");
        Assert.Equal((HttpStatusCode.NotFound, "NoSuchEntity"), (status, code));
        Assert.Equal("The Password Policy with domain name 300000000002 cannot be found.", message);

        await iam.Call("UpdateAccountPasswordPolicy", ("MinimumPasswordLength", "12"), ("RequireNumbers", "true"), ("MaxPasswordAge", "90"));
        var policy = await iam.Call("GetAccountPasswordPolicy");
        Assert.Equal("12", policy.Text("PasswordPolicy", "MinimumPasswordLength"));
        Assert.Equal("true", policy.Text("PasswordPolicy", "ExpirePasswords"));

        await iam.Call("CreateUser", ("UserName", "pw"));
        Assert.Equal("Password should have at least 12 characters",
            (await iam.Fail("CreateLoginProfile", ("UserName", "pw"), ("Password", "short1"))).Message);
        Assert.Equal("Password should have at least one number",
            (await iam.Fail("CreateLoginProfile", ("UserName", "pw"), ("Password", "longbutnodigits"))).Message);
        await iam.Call("CreateLoginProfile", ("UserName", "pw"), ("Password", "long-enough-42"));

        await iam.Call("DeleteAccountPasswordPolicy");
        Assert.Equal("NoSuchEntity", (await iam.Fail("DeleteAccountPasswordPolicy")).Code);
    }

    [Fact]
    public async Task The_account_summary_counts_the_accounts_entities()
    {
        var iam = Iam("300000000003");
        await iam.Call("CreateUser", ("UserName", "one"));
        await iam.Call("CreateUser", ("UserName", "two"));
        await iam.Call("CreateGroup", ("GroupName", "g"));
        var summary = (await iam.Call("GetAccountSummary")).Element(IamClient.Ns + "SummaryMap")!.Elements(IamClient.Ns + "entry")
            .ToDictionary(e => e.Text("key"), e => e.Text("value"));
        Assert.Equal("2", summary["Users"]);
        Assert.Equal("1", summary["Groups"]);
        Assert.Equal("0", summary["Roles"]);
        Assert.Equal("6144", summary["PolicySizeQuota"]);
    }

    [Fact]
    public async Task The_credential_report_lists_users_as_csv_once_generated()
    {
        var iam = Iam("300000000004");
        var (status, code, _) = await iam.Fail("GetCredentialReport");
        Assert.Equal((HttpStatusCode.Gone, "ReportNotPresent"), (status, code));

        await iam.Call("CreateUser", ("UserName", "reported"));
        await iam.Call("CreateAccessKey", ("UserName", "reported"));
        Assert.Equal("STARTED", (await iam.Call("GenerateCredentialReport")).Text("State"));
        Assert.Equal("COMPLETE", (await iam.Call("GenerateCredentialReport")).Text("State"));

        var report = await iam.Call("GetCredentialReport");
        Assert.Equal("text/csv", report.Text("ReportFormat"));
        var lines = Encoding.UTF8.GetString(Convert.FromBase64String(report.Text("Content"))).TrimEnd('\n').Split('\n');
        Assert.StartsWith("user,arn,user_creation_time,password_enabled", lines[0]);
        Assert.StartsWith("<root_account>,arn:aws:iam::300000000004:root,", lines[1]);
        var row = lines[2].Split(',');
        Assert.Equal(["reported", "arn:aws:iam::300000000004:user/reported"], row[..2]);
        Assert.Equal(22, row.Length);
        Assert.Equal("true", row[8]);
    }

    [Fact]
    public async Task The_credential_report_expires_after_four_hours_of_Nepheles_clock()
    {
        var own = new NepheleFixture();
        await own.InitializeAsync();
        try
        {
            var iam = new IamClient(own.Http(), "300000000005");
            await iam.Call("GenerateCredentialReport");
            await iam.Call("GetCredentialReport");
            using (var http = own.Http())
                (await http.PostAsync("/_nephele/clock", JsonContent.Create(new Dictionary<string, string> { ["advance"] = "PT5H" }))).EnsureSuccessStatusCode();
            Assert.Equal("ReportExpired", (await iam.Fail("GetCredentialReport")).Code);
            Assert.Equal("STARTED", (await iam.Call("GenerateCredentialReport")).Text("State"));
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    [Fact]
    public async Task Authorization_details_describe_users_groups_roles_and_the_policies_in_use()
    {
        var iam = Iam("300000000006");
        await iam.Call("CreateUser", ("UserName", "detailed"));
        await iam.Call("CreateGroup", ("GroupName", "detail-group"));
        await iam.Call("AddUserToGroup", ("GroupName", "detail-group"), ("UserName", "detailed"));
        await iam.Call("PutUserPolicy", ("UserName", "detailed"), ("PolicyName", "inline"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}"""));
        await iam.Call("CreateRole", ("RoleName", "detail-role"), ("AssumeRolePolicyDocument", IamRoleTests.LambdaTrust));
        await iam.Call("AttachRolePolicy", ("RoleName", "detail-role"), ("PolicyArn", "arn:aws:iam::aws:policy/AmazonSQSFullAccess"));

        var details = await iam.Call("GetAccountAuthorizationDetails");
        var user = Assert.Single(details.Members("UserDetailList"));
        Assert.Equal(["detail-group"], user.Members("GroupList").Select(g => g.Value));
        Assert.Contains("sqs", Uri.UnescapeDataString(user.Members("UserPolicyList")[0].Text("PolicyDocument")));
        var role = Assert.Single(details.Members("RoleDetailList"));
        Assert.Equal(["AmazonSQSFullAccess"], role.Members("AttachedManagedPolicies").Select(p => p.Text("PolicyName")));
        var policy = Assert.Single(details.Members("Policies"));
        Assert.Equal("arn:aws:iam::aws:policy/AmazonSQSFullAccess", policy.Text("Arn"));
        Assert.NotEmpty(policy.Members("PolicyVersionList"));

        var onlyRoles = await iam.Call("GetAccountAuthorizationDetails", ("Filter.member.1", "Role"));
        Assert.Empty(onlyRoles.Members("UserDetailList"));
        Assert.Single(onlyRoles.Members("RoleDetailList"));
    }

    [Fact]
    public async Task OIDC_and_SAML_providers_are_stored_and_described()
    {
        var iam = Iam("300000000007");
        var oidc = (await iam.Call("CreateOpenIDConnectProvider", ("Url", "https://token.actions.githubusercontent.com"),
            ("ClientIDList.member.1", "sts.amazonaws.com"), ("ThumbprintList.member.1", "6938fd4d98bab03faadb97b34396831e3780aea1"))).Text("OpenIDConnectProviderArn");
        Assert.Equal("arn:aws:iam::300000000007:oidc-provider/token.actions.githubusercontent.com", oidc);
        var got = await iam.Call("GetOpenIDConnectProvider", ("OpenIDConnectProviderArn", oidc));
        Assert.Equal("token.actions.githubusercontent.com", got.Text("Url"));
        Assert.Equal(["sts.amazonaws.com"], got.Members("ClientIDList").Select(c => c.Value));
        Assert.Equal("EntityAlreadyExists", (await iam.Fail("CreateOpenIDConnectProvider", ("Url", "https://token.actions.githubusercontent.com"))).Code);

        var metadata = "<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://idp.example.com\">" + new string(' ', 1000) + "</EntityDescriptor>";
        var saml = (await iam.Call("CreateSAMLProvider", ("Name", "corp"), ("SAMLMetadataDocument", metadata))).Text("SAMLProviderArn");
        Assert.Equal("arn:aws:iam::300000000007:saml-provider/corp", saml);
        Assert.Single((await iam.Call("ListSAMLProviders")).Members("SAMLProviderList"));
        await iam.Call("DeleteSAMLProvider", ("SAMLProviderArn", saml));
        await iam.Call("DeleteOpenIDConnectProvider", ("OpenIDConnectProviderArn", oidc));
        Assert.Equal("NoSuchEntity", (await iam.Fail("GetOpenIDConnectProvider", ("OpenIDConnectProviderArn", oidc))).Code);
    }
}
