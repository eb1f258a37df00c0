using System.Net.Http.Json;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Nephele.Services.Tests.Ssm;

/// <summary>Moves the clock of its own server, so other tests' dates are not disturbed.</summary>
public sealed class SsmPolicyTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly AmazonSimpleSystemsManagementClient _ssm =
        nephele.Client((c, cfg) => new AmazonSimpleSystemsManagementClient(c, (AmazonSimpleSystemsManagementConfig)cfg), new AmazonSimpleSystemsManagementConfig());

    private static string Expiration(DateTime at) =>
        $$$"""[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"{{{at:yyyy-MM-ddTHH:mm:ss.fffZ}}}"}}]""";

    [Fact]
    public async Task An_expiration_policy_deletes_the_parameter_when_the_clock_passes_it()
    {
        var name = $"/expiring/{Guid.NewGuid():N}";
        var put = await _ssm.PutParameterAsync(new PutParameterRequest
        {
            Name = name,
            Value = "temp",
            Type = ParameterType.String,
            Tier = ParameterTier.IntelligentTiering,
            Policies = Expiration(DateTime.UtcNow.AddDays(2)),
        });
        Assert.Equal(ParameterTier.Advanced, put.Tier);
        var described = await _ssm.DescribeParametersAsync(new DescribeParametersRequest
        {
            ParameterFilters = [new ParameterStringFilter { Key = "Name", Values = [name] }],
        });
        Assert.Equal("Expiration", described.Parameters.Single().Policies.Single().PolicyType);

        using (var http = nephele.Http())
            (await http.PostAsync("/_nephele/clock", JsonContent.Create(new Dictionary<string, string> { ["advance"] = "P3D" }))).EnsureSuccessStatusCode();
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => _ssm.GetParameterAsync(new GetParameterRequest { Name = name }));
    }

    [Fact]
    public async Task Policies_on_a_standard_parameter_are_a_ValidationException()
    {
        var error = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => _ssm.PutParameterAsync(new PutParameterRequest
        {
            Name = $"/expiring/{Guid.NewGuid():N}",
            Value = "x",
            Type = ParameterType.String,
            Policies = Expiration(DateTime.UtcNow.AddDays(1)),
        }));
        Assert.Equal("ValidationException", error.ErrorCode);
    }

    [Fact]
    public async Task An_unknown_policy_type_is_InvalidPolicyType()
    {
        await Assert.ThrowsAsync<InvalidPolicyTypeException>(() => _ssm.PutParameterAsync(new PutParameterRequest
        {
            Name = $"/expiring/{Guid.NewGuid():N}",
            Value = "x",
            Type = ParameterType.String,
            Tier = ParameterTier.Advanced,
            Policies = """[{"Type":"SelfDestruct","Version":"1.0","Attributes":{}}]""",
        }));
    }
}
