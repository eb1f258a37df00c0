using Nephele.Core.Gateway;

namespace Nephele.Services.Tests.Gateway;

public sealed class CoverageDocTests
{
    [Fact]
    public void Docs_coverage_table_matches_the_handlers()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Nephele.slnx"))) root = Path.GetDirectoryName(root)!;
        var file = Path.Combine(root, "docs", "coverage.md");
        var expected = CoverageReport.Markdown(ServiceIndex.Load(), ServiceCatalog.Registry());
        Assert.True(File.Exists(file) && File.ReadAllText(file) == expected,
            "docs/coverage.md is stale: regenerate it with `dotnet run --project src/Nephele -- coverage > docs/coverage.md`.");
    }
}
