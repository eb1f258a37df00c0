using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace Nephele.Services.Tests.Iam;

/// <summary>SSH public keys, server and signing certificates, service-specific credentials, ChangePassword and key last use.</summary>
public sealed class IamCredentialTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private IamClient Iam(string key = "test") => new(nephele.Http(), key);

    private static (string CertificatePem, string KeyPem) SelfSigned(string subject, RSA? key = null)
    {
        key ??= RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    [Fact]
    public async Task SSH_public_keys_are_validated_and_answered_in_SSH_or_PEM_encoding()
    {
        await Iam().Call("CreateUser", ("UserName", "git-user"));
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportSubjectPublicKeyInfoPem();
        var uploaded = (await Iam().Call("UploadSSHPublicKey", ("UserName", "git-user"), ("SSHPublicKeyBody", pem))).Element(IamClient.Ns + "SSHPublicKey")!;
        var id = uploaded.Text("SSHPublicKeyId");
        Assert.StartsWith("APKA", id);
        Assert.Matches("^([0-9a-f]{2}:){15}[0-9a-f]{2}$", uploaded.Text("Fingerprint"));
        var ssh = uploaded.Text("SSHPublicKeyBody");
        Assert.StartsWith("ssh-rsa AAAA", ssh);

        var asPem = (await Iam().Call("GetSSHPublicKey", ("UserName", "git-user"), ("SSHPublicKeyId", id), ("Encoding", "PEM"))).Text("SSHPublicKey", "SSHPublicKeyBody");
        Assert.Equal(pem.Trim(), asPem.Trim());
        var duplicate = await Iam().Fail("UploadSSHPublicKey", ("UserName", "git-user"), ("SSHPublicKeyBody", ssh + " me@laptop"));
        Assert.Equal("DuplicateSSHPublicKey", duplicate.Code);
        Assert.Equal("UnrecognizedPublicKeyEncoding", (await Iam().Fail("UploadSSHPublicKey", ("UserName", "git-user"), ("SSHPublicKeyBody", "ssh-dss AAAAB3NzaC1kc3M="))).Code);
        Assert.Equal("InvalidPublicKey", (await Iam().Fail("UploadSSHPublicKey", ("UserName", "git-user"), ("SSHPublicKeyBody", "ssh-rsa bm90IGEga2V5"))).Code);

        await Iam().Call("UpdateSSHPublicKey", ("UserName", "git-user"), ("SSHPublicKeyId", id), ("Status", "Inactive"));
        Assert.Equal("Inactive", Assert.Single((await Iam().Call("ListSSHPublicKeys", ("UserName", "git-user"))).Members("SSHPublicKeys")).Text("Status"));
        Assert.Equal("DeleteConflict", (await Iam().Fail("DeleteUser", ("UserName", "git-user"))).Code);
        await Iam().Call("DeleteSSHPublicKey", ("UserName", "git-user"), ("SSHPublicKeyId", id));
        Assert.Equal("NoSuchEntity", (await Iam().Fail("GetSSHPublicKey", ("UserName", "git-user"), ("SSHPublicKeyId", id), ("Encoding", "SSH"))).Code);
    }

    [Fact]
    public async Task Server_certificates_need_a_matching_private_key()
    {
        var (certificate, key) = SelfSigned("www.example.com");
        var (_, otherKey) = SelfSigned("other.example.com");
        var mismatch = await Iam().Fail("UploadServerCertificate", ("ServerCertificateName", "web"), ("CertificateBody", certificate), ("PrivateKey", otherKey));
        Assert.Equal((HttpStatusCode.BadRequest, "KeyPairMismatch"), (mismatch.Status, mismatch.Code));
        Assert.Equal("MalformedCertificate", (await Iam().Fail("UploadServerCertificate", ("ServerCertificateName", "web"),
            ("CertificateBody", "-----BEGIN CERTIFICATE-----\nbm9wZQ==\n-----END CERTIFICATE-----"), ("PrivateKey", key))).Code);

        var metadata = (await Iam().Call("UploadServerCertificate", ("ServerCertificateName", "web"), ("Path", "/cloudfront/"), ("CertificateBody", certificate),
            ("PrivateKey", key), ("Tags.member.1.Key", "env"), ("Tags.member.1.Value", "prod"))).Element(IamClient.Ns + "ServerCertificateMetadata")!;
        Assert.Equal("arn:aws:iam::000000000000:server-certificate/cloudfront/web", metadata.Text("Arn"));
        Assert.StartsWith("2030-01-01T00:00:00", metadata.Text("Expiration"));
        Assert.Single((await Iam().Call("ListServerCertificates", ("PathPrefix", "/cloudfront/"))).Members("ServerCertificateMetadataList"));
        Assert.Empty((await Iam().Call("ListServerCertificates", ("PathPrefix", "/elb/"))).Members("ServerCertificateMetadataList"));

        await Iam().Call("UpdateServerCertificate", ("ServerCertificateName", "web"), ("NewServerCertificateName", "web-2026"), ("NewPath", "/elb/"));
        var got = await Iam().Call("GetServerCertificate", ("ServerCertificateName", "web-2026"));
        Assert.Equal("/elb/", got.Text("ServerCertificate", "ServerCertificateMetadata", "Path"));
        Assert.Equal(certificate.Trim(), got.Text("ServerCertificate", "CertificateBody"));
        Assert.Equal("prod", Assert.Single((await Iam().Call("ListServerCertificateTags", ("ServerCertificateName", "web-2026"))).Members("Tags")).Text("Value"));
        Assert.Equal("NoSuchEntity", (await Iam().Fail("GetServerCertificate", ("ServerCertificateName", "web"))).Code);
        await Iam().Call("DeleteServerCertificate", ("ServerCertificateName", "web-2026"));
    }

    [Fact]
    public async Task Signing_certificates_are_uploaded_listed_deactivated_and_deleted()
    {
        await Iam().Call("CreateUser", ("UserName", "signer"));
        var (certificate, _) = SelfSigned("signer");
        var id = (await Iam().Call("UploadSigningCertificate", ("UserName", "signer"), ("CertificateBody", certificate))).Text("Certificate", "CertificateId");
        Assert.Equal("DuplicateCertificate", (await Iam().Fail("UploadSigningCertificate", ("UserName", "signer"), ("CertificateBody", certificate))).Code);
        Assert.Equal("MalformedCertificate", (await Iam().Fail("UploadSigningCertificate", ("UserName", "signer"), ("CertificateBody", "garbage"))).Code);
        await Iam().Call("UpdateSigningCertificate", ("UserName", "signer"), ("CertificateId", id), ("Status", "Inactive"));
        Assert.Equal("Inactive", Assert.Single((await Iam().Call("ListSigningCertificates", ("UserName", "signer"))).Members("Certificates")).Text("Status"));
        await Iam().Call("DeleteSigningCertificate", ("UserName", "signer"), ("CertificateId", id));
        Assert.Empty((await Iam().Call("ListSigningCertificates", ("UserName", "signer"))).Members("Certificates"));
    }

    [Fact]
    public async Task Service_specific_credentials_show_their_password_only_when_made_or_reset()
    {
        await Iam().Call("CreateUser", ("UserName", "coder"));
        var created = (await Iam().Call("CreateServiceSpecificCredential", ("UserName", "coder"), ("ServiceName", "codecommit.amazonaws.com")))
            .Element(IamClient.Ns + "ServiceSpecificCredential")!;
        Assert.Equal("coder-at-000000000000", created.Text("ServiceUserName"));
        var password = created.Text("ServicePassword");
        Assert.Equal(44, password.Length);
        var id = created.Text("ServiceSpecificCredentialId");

        var listed = Assert.Single((await Iam().Call("ListServiceSpecificCredentials", ("UserName", "coder"))).Members("ServiceSpecificCredentials"));
        Assert.Null(listed.TextOrNull("ServicePassword"));
        var reset = await Iam().Call("ResetServiceSpecificCredential", ("UserName", "coder"), ("ServiceSpecificCredentialId", id));
        Assert.NotEqual(password, reset.Text("ServiceSpecificCredential", "ServicePassword"));
        await Iam().Call("UpdateServiceSpecificCredential", ("UserName", "coder"), ("ServiceSpecificCredentialId", id), ("Status", "Inactive"));

        var unsupported = await Iam().Fail("CreateServiceSpecificCredential", ("UserName", "coder"), ("ServiceName", "s3.amazonaws.com"));
        Assert.Equal((HttpStatusCode.NotFound, "NotSupportedService"), (unsupported.Status, unsupported.Code));
        await Iam().Call("DeleteServiceSpecificCredential", ("UserName", "coder"), ("ServiceSpecificCredentialId", id));
        Assert.Empty((await Iam().Call("ListServiceSpecificCredentials", ("UserName", "coder"))).Members("ServiceSpecificCredentials"));
    }

    [Fact]
    public async Task A_user_changes_its_own_password_knowing_the_old_one()
    {
        await Iam().Call("CreateUser", ("UserName", "changer"));
        await Iam().Call("CreateLoginProfile", ("UserName", "changer"), ("Password", "First-Passw0rd"), ("PasswordResetRequired", "true"));
        var key = (await Iam().Call("CreateAccessKey", ("UserName", "changer"))).Text("AccessKey", "AccessKeyId");

        var wrong = await Iam(key).Fail("ChangePassword", ("OldPassword", "not-it"), ("NewPassword", "Second-Passw0rd"));
        Assert.Equal("AccessDenied", wrong.Code);
        Assert.Equal("PasswordPolicyViolation", (await Iam(key).Fail("ChangePassword", ("OldPassword", "First-Passw0rd"), ("NewPassword", "short"))).Code);
        await Iam(key).Call("ChangePassword", ("OldPassword", "First-Passw0rd"), ("NewPassword", "Second-Passw0rd"));
        Assert.Equal("false", (await Iam().Call("GetLoginProfile", ("UserName", "changer"))).Text("LoginProfile", "PasswordResetRequired"));
        await Iam(key).Call("ChangePassword", ("OldPassword", "Second-Passw0rd"), ("NewPassword", "Third-Passw0rd"));

        Assert.Equal("InvalidUserType", (await Iam().Fail("ChangePassword", ("OldPassword", "x"), ("NewPassword", "Third-Passw0rd"))).Code);
    }

    [Fact]
    public async Task GetAccessKeyLastUsed_tells_when_where_and_with_which_service_a_key_was_used()
    {
        await Iam().Call("CreateUser", ("UserName", "used"));
        var created = (await Iam().Call("CreateAccessKey", ("UserName", "used"))).Element(IamClient.Ns + "AccessKey")!;
        var (id, secret) = (created.Text("AccessKeyId"), created.Text("SecretAccessKey"));
        var fresh = await Iam().Call("GetAccessKeyLastUsed", ("AccessKeyId", id));
        Assert.Equal("N/A", fresh.Text("AccessKeyLastUsed", "ServiceName"));
        Assert.Null(fresh.TextOrNull("AccessKeyLastUsed", "LastUsedDate"));

        var sts = nephele.Client((c, cfg) => new AmazonSecurityTokenServiceClient(c, (AmazonSecurityTokenServiceConfig)cfg), new AmazonSecurityTokenServiceConfig(), id, secret);
        await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        var used = await Iam().Call("GetAccessKeyLastUsed", ("AccessKeyId", id));
        Assert.Equal("used", used.Text("UserName"));
        Assert.Equal("sts", used.Text("AccessKeyLastUsed", "ServiceName"));
        Assert.Equal("us-east-1", used.Text("AccessKeyLastUsed", "Region"));
        Assert.NotNull(used.TextOrNull("AccessKeyLastUsed", "LastUsedDate"));
    }
}
