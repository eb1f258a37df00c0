using System.Net.Http.Json;
using Amazon.KeyManagementService.Model;

namespace Nephele.Services.Tests.Kms;

/// <summary>Moves the clock of its own server, so other tests' dates are not disturbed.</summary>
public sealed class KmsDeletionTests(NepheleFixture nephele) : KmsTestBase(nephele), IClassFixture<NepheleFixture>
{
    private readonly NepheleFixture _nephele = nephele;

    [Fact]
    public async Task Key_and_its_aliases_are_gone_once_the_clock_passes_the_deletion_date()
    {
        var key = await NewKey();
        var alias = $"alias/doomed-{key.KeyId}";
        await Kms().CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyId });
        await Kms().ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });

        using (var http = _nephele.Http())
            (await http.PostAsync("/_nephele/clock", JsonContent.Create(new Dictionary<string, string> { ["advance"] = "P8D" }))).EnsureSuccessStatusCode();

        await Assert.ThrowsAsync<NotFoundException>(() => Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId }));
        await Assert.ThrowsAsync<NotFoundException>(() => Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = alias }));
        Assert.DoesNotContain((await Kms().ListKeysAsync(new ListKeysRequest { Limit = 1000 })).Keys, k => k.KeyId == key.KeyId);
    }
}
