using Nephele.Core.Auth;
using Nephele.Core.Protocols;

namespace Nephele.Core.Tests.Auth;

public sealed class CallerResolverTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Nephele.Core.State.IStateStore _state = Nephele.Core.State.SqliteStateStore.Open(null);
    private readonly CredentialStore _store;
    private readonly CallerResolver _resolver;

    public CallerResolverTests()
    {
        _store = new CredentialStore(_state);
        _resolver = new CallerResolver(_store, new ManualClock(Now));
    }

    private static SigV4Credential Key(string accessKeyId, string? token = null) =>
        new() { AccessKeyId = accessKeyId, Date = "20250101", Region = "us-east-1", Service = "sts", SessionToken = token };

    private IssuedCredential IssueSession(DateTimeOffset expiration)
    {
        var identity = new CallerIdentity("ASIAISSUED", "111122223333", "arn:aws:sts::111122223333:assumed-role/dev/me", "AROAEXAMPLE:me");
        var issued = new IssuedCredential("ASIAISSUED", "issued-secret", "session-token", identity, expiration);
        _store.Add(issued);
        return issued;
    }

    [Fact]
    public void Twelve_digit_access_key_acts_as_the_root_of_that_account()
    {
        var caller = _resolver.Resolve(Key("123456789012"));

        Assert.Equal("123456789012", caller.AccountId);
        Assert.Equal("arn:aws:iam::123456789012:root", caller.Arn);
    }

    [Theory]
    [InlineData("test")]
    [InlineData("AKIAIOSFODNN7EXAMPLE")]
    [InlineData("12345678901")]
    public void Any_other_access_key_acts_as_the_root_of_the_default_account(string accessKeyId)
    {
        Assert.Equal("000000000000", _resolver.Resolve(Key(accessKeyId)).AccountId);
    }

    [Fact]
    public void Request_without_credentials_acts_as_the_root_of_the_default_account()
    {
        Assert.Equal("000000000000", _resolver.Resolve(null).AccountId);
    }

    [Fact]
    public void Issued_key_acts_as_its_principal()
    {
        IssueSession(Now.AddHours(1));

        var caller = _resolver.Resolve(Key("ASIAISSUED", "session-token"));

        Assert.Equal(("111122223333", "arn:aws:sts::111122223333:assumed-role/dev/me"), (caller.AccountId, caller.Arn));
    }

    [Fact]
    public void Issued_key_verifies_with_its_own_secret()
    {
        IssueSession(Now.AddHours(1));

        var resolved = _resolver.ResolveForVerification(Key("ASIAISSUED", "session-token"), AuthErrorDialect.Query);

        Assert.Equal("issued-secret", resolved.SecretAccessKey);
        Assert.Equal("111122223333", resolved.Identity.AccountId);
    }

    [Fact]
    public void Expired_temporary_credentials_are_ExpiredToken_when_verifying_but_still_route()
    {
        IssueSession(Now.AddSeconds(-1));

        var error = Assert.Throws<AwsException>(() => _resolver.ResolveForVerification(Key("ASIAISSUED", "session-token"), AuthErrorDialect.Query));

        Assert.Equal(("ExpiredToken", 403, "The security token included in the request is expired"), (error.Code, error.HttpStatus, error.Message));
        Assert.Equal("111122223333", _resolver.Resolve(Key("ASIAISSUED", "session-token")).AccountId);
    }

    [Fact]
    public void Temporary_credentials_without_their_session_token_are_InvalidClientTokenId()
    {
        IssueSession(Now.AddHours(1));

        var error = Assert.Throws<AwsException>(() => _resolver.ResolveForVerification(Key("ASIAISSUED"), AuthErrorDialect.Query));

        Assert.Equal(("InvalidClientTokenId", 403, "The security token included in the request is invalid."), (error.Code, error.HttpStatus, error.Message));
    }

    [Theory]
    [InlineData("test")]
    [InlineData("123456789012")]
    public void Conventional_test_keys_verify_with_secret_test(string accessKeyId)
    {
        Assert.Equal("test", _resolver.ResolveForVerification(Key(accessKeyId), AuthErrorDialect.Query).SecretAccessKey);
    }

    [Theory]
    [InlineData(AuthErrorDialect.Query, "InvalidClientTokenId", 403)]
    [InlineData(AuthErrorDialect.Json, "UnrecognizedClientException", 400)]
    [InlineData(AuthErrorDialect.S3, "InvalidAccessKeyId", 403)]
    public void Unknown_key_whose_secret_Nephele_cannot_know_is_rejected_when_verifying(AuthErrorDialect dialect, string code, int status)
    {
        var error = Assert.Throws<AwsException>(() => _resolver.ResolveForVerification(Key("AKIAUNKNOWN"), dialect));

        Assert.Equal((code, status), (error.Code, error.HttpStatus));
    }

    [Fact]
    public void Credential_store_finds_replaces_and_removes_keys_from_many_threads_and_keeps_them_in_state()
    {
        var identity = CallerIdentity.Root("k", "000000000000");
        Parallel.For(0, 1000, i => _store.Add(new IssuedCredential($"AKIA{i % 100}", $"secret{i}", null, identity, null)));
        Parallel.For(0, 100, i => Assert.NotNull(_store.Find($"AKIA{i}")));

        Assert.Equal(100, _state.Table("auth", "access-keys").Count(Nephele.Core.State.Scope.Global("global")));
        Assert.True(_store.Remove("AKIA7"));
        Assert.False(_store.Remove("AKIA7"));
        Assert.Null(_store.Find("AKIA7"));
    }
}
