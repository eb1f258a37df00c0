using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Nephele.Services.Tests.Ssm;

public sealed class SsmPublicParameterTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private const string LatestAl2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

    private AmazonSimpleSystemsManagementClient Ssm(string region = "us-east-1") =>
        nephele.Client((c, cfg) => new AmazonSimpleSystemsManagementClient(c, (AmazonSimpleSystemsManagementConfig)cfg),
            new AmazonSimpleSystemsManagementConfig(), region: region);

    [Fact]
    public async Task The_latest_amazon_linux_ami_resolves_per_region_with_an_account_less_arn()
    {
        var east = (await Ssm().GetParameterAsync(new GetParameterRequest { Name = LatestAl2023 })).Parameter;
        var west = (await Ssm("eu-west-1").GetParameterAsync(new GetParameterRequest { Name = LatestAl2023 })).Parameter;

        Assert.StartsWith("ami-", east.Value);
        Assert.StartsWith("ami-", west.Value);
        Assert.NotEqual(east.Value, west.Value);
        Assert.Equal("arn:aws:ssm:us-east-1::parameter" + LatestAl2023, east.ARN);
        Assert.Equal(ParameterType.String, east.Type);
        Assert.True(east.Version >= 1);
    }

    [Fact]
    public async Task Public_parameters_page_by_path_in_name_order()
    {
        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await Ssm().GetParametersByPathAsync(new GetParametersByPathRequest
            {
                Path = "/aws/service/ami-amazon-linux-latest",
                MaxResults = 10,
                NextToken = token,
            });
            names.AddRange(page.Parameters.Select(p => p.Name));
            token = page.NextToken;
        }
        while (token is not null);

        Assert.Contains(LatestAl2023, names);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public async Task The_global_infrastructure_tree_lists_regions_and_their_names()
    {
        var longName = await Ssm().GetParameterAsync(new GetParameterRequest { Name = "/aws/service/global-infrastructure/regions/eu-west-1/longName" });
        Assert.Equal("Europe (Ireland)", longName.Parameter.Value);

        var regions = await Ssm().GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/aws/service/global-infrastructure/regions", MaxResults = 10 });
        Assert.All(regions.Parameters, p => Assert.DoesNotContain('/', p.Name["/aws/service/global-infrastructure/regions/".Length..]));
        Assert.NotNull(regions.NextToken);
    }

    [Fact]
    public async Task An_unknown_public_parameter_is_not_found_and_public_names_cannot_be_written()
    {
        var missing = await Assert.ThrowsAsync<ParameterNotFoundException>(() =>
            Ssm().GetParameterAsync(new GetParameterRequest { Name = "/aws/service/ami-amazon-linux-latest/no-such-image" }));
        Assert.NotNull(missing);

        var both = await Ssm().GetParametersAsync(new GetParametersRequest { Names = [LatestAl2023, "/aws/service/nothing"] });
        Assert.Equal([LatestAl2023], both.Parameters.Select(p => p.Name));
        Assert.Equal(["/aws/service/nothing"], both.InvalidParameters);

        await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() =>
            Ssm().PutParameterAsync(new PutParameterRequest { Name = LatestAl2023, Value = "ami-mine", Type = ParameterType.String, Overwrite = true }));
        Assert.NotEqual("ami-mine", (await Ssm().GetParameterAsync(new GetParameterRequest { Name = LatestAl2023 })).Parameter.Value);
    }
}
