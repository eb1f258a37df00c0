using Nephele.Core.Gateway;
using Nephele.Services;

namespace Nephele.Cli;

internal static class CoverageCommand
{
    public static string Markdown() => CoverageReport.Markdown(ServiceIndex.Load(), ServiceCatalog.Registry());
}
