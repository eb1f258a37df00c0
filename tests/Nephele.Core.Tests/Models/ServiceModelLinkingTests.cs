using System.Text;
using Nephele.Core.Models;

namespace Nephele.Core.Tests.Models;

public sealed class ServiceModelLinkingTests
{
    [Fact]
    public void Members_inherit_traits_of_target_shapes_declared_after_them()
    {
        var model = ServiceModel.Load(Encoding.UTF8.GetBytes("""
            {
              "metadata": { "protocol": "query", "apiVersion": "2020-01-08" },
              "operations": {},
              "shapes": {
                "Output": { "type": "structure", "members": {
                  "When": { "shape": "HttpDate" },
                  "Items": { "shape": "FlatList" } } },
                "HttpDate": { "type": "timestamp", "timestampFormat": "rfc822" },
                "FlatList": { "type": "list", "member": { "shape": "Text" }, "flattened": true },
                "Text": { "type": "string" }
              }
            }
            """));

        var output = model.GetShape("Output");
        Assert.Equal("rfc822", output.FindMember("When")!.TimestampFormat);
        Assert.True(output.FindMember("Items")!.Flattened);
    }
}
