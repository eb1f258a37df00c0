using System.Net.Http.Json;

namespace Nephele.Services.Tests.SecretsManager;

/// <summary>Moves the clock of its own server, so other tests' dates are not disturbed.</summary>
public sealed class SecretDeletionClockTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly SecretsManagerClient _sm = new(nephele.Http());

    private static string Unique() => $"app/{Guid.NewGuid():N}";

    [Fact]
    public async Task A_scheduled_deletion_happens_when_the_clock_passes_the_recovery_window()
    {
        var name = Unique();
        await _sm.Call("CreateSecret", new { Name = name, SecretString = "a" });
        await _sm.Call("DeleteSecret", new { SecretId = name, RecoveryWindowInDays = 7 });
        using (var http = nephele.Http())
            (await http.PostAsync("/_nephele/clock", JsonContent.Create(new Dictionary<string, string> { ["advance"] = "P8D" }))).EnsureSuccessStatusCode();
        Assert.Equal("ResourceNotFoundException", (await _sm.Fail("DescribeSecret", new { SecretId = name })).Code);
    }
}
