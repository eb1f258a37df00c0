using System.Net;
using System.Text;
using System.Xml.Linq;

namespace Nephele.Services.Tests.Iam;

/// <summary>Raw IAM query-protocol requests (AWSSDK.IdentityManagement is not on the package mirror): form posts in, XML out.</summary>
public sealed class IamClient(HttpClient http, string accessKey = "test")
{
    public static readonly XNamespace Ns = "https://iam.amazonaws.com/doc/2010-05-08/";

    /// <summary>Calls an operation that must succeed; returns its &lt;OpResult&gt; element (or the response root when there is none).</summary>
    public async Task<XElement> Call(string action, params (string Name, string Value)[] parameters)
    {
        var (status, xml) = await Send(action, parameters);
        Assert.True(status == HttpStatusCode.OK, $"{action} answered {(int)status}: {xml}");
        var root = XDocument.Parse(xml).Root!;
        return root.Element(Ns + action + "Result") ?? root;
    }

    /// <summary>Expects an error; returns its HTTP status, code and message.</summary>
    public async Task<(HttpStatusCode Status, string Code, string Message)> Fail(string action, params (string Name, string Value)[] parameters)
    {
        var (status, xml) = await Send(action, parameters);
        Assert.NotEqual(HttpStatusCode.OK, status);
        var error = XDocument.Parse(xml).Root!.Element(Ns + "Error")!;
        return (status, error.Element(Ns + "Code")!.Value, error.Element(Ns + "Message")?.Value ?? "");
    }

    private async Task<(HttpStatusCode, string)> Send(string action, (string Name, string Value)[] parameters)
    {
        var form = new StringBuilder($"Action={action}&Version=2010-05-08");
        foreach (var (name, value) in parameters) form.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent(form.ToString(), Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKey}/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

/// <summary>Reading IAM's XML answers.</summary>
public static class IamXml
{
    public static string Text(this XElement element, params string[] path)
    {
        var e = element;
        foreach (var name in path) e = e.Element(IamClient.Ns + name) ?? throw new InvalidOperationException($"No <{name}> in {element}");
        return e.Value;
    }

    public static string? TextOrNull(this XElement element, params string[] path)
    {
        var e = element;
        foreach (var name in path)
        {
            e = e.Element(IamClient.Ns + name);
            if (e is null) return null;
        }
        return e.Value;
    }

    /// <summary>The &lt;member&gt; elements of a list element.</summary>
    public static IReadOnlyList<XElement> Members(this XElement element, string list) =>
        element.Element(IamClient.Ns + list)?.Elements(IamClient.Ns + "member").ToList() ?? [];
}
