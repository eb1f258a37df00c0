using System.Text;
using System.Xml.Linq;
using Nephele.Core.Protocols;
using Nephele.Core.Protocols.RestXml;

namespace Nephele.Core.Tests.Protocols;

public sealed class RestXmlProtocolTests
{
    private static readonly RestXmlProtocol Protocol = new();

    /// <summary>Cases a server cannot meet, beyond the shared ignore list; each with its reason.</summary>
    private static readonly Dictionary<string, string> Skipped = new()
    {
        ["RestXmlQueryParamsStringListMap"] = "client view of an httpQueryParams map; a server puts every query parameter in it (as smithy's rest-json server cases expect), the bound corge too",
        ["InvalidGreetingError"] = "the expected body carries an unmodeled AnotherSetting element for the client to ignore; a server has nothing to put there",
    };

    public static TheoryData<string> InputCases => ProtocolTestData.Cases("input", "rest-xml.json");
    public static TheoryData<string> OutputCases => ProtocolTestData.Cases("output", "rest-xml.json");

    [SkippableTheory]
    [MemberData(nameof(InputCases))]
    public async Task Reads_the_params_a_rest_xml_client_sent(string caseId)
    {
        ProtocolTestData.SkipIfListed(Skipped, caseId);
        await XmlProtocolCases.AssertInputAsync(Protocol, caseId);
    }

    [SkippableTheory]
    [MemberData(nameof(OutputCases))]
    public void Renders_the_response_a_rest_xml_client_expects(string caseId)
    {
        ProtocolTestData.SkipIfListed(Skipped, caseId);
        XmlProtocolCases.AssertOutput(Protocol, caseId, suiteNamespace: false);
    }

    private static readonly XNamespace S3 = "http://s3.amazonaws.com/doc/2006-03-01/";

    private static AwsRequest Put(string pathAndQuery, string body) =>
        AwsRequest.FromBytes("PUT", pathAndQuery, Encoding.UTF8.GetBytes(body), new HeaderMap { { "Content-Type", "application/xml" } });

    private static async Task<Dictionary<string, object?>> ParseS3(AwsRequest request)
    {
        var model = Models.Load("s3");
        return await Protocol.ParseAsync(model, Protocol.ResolveOperation(model, request)!, request);
    }

    [Fact]
    public async Task Reads_an_s3_payload_from_its_root_element()
    {
        var input = await ParseS3(Put("/photos?tagging",
            """<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>team</Key><Value>a &amp; b</Value></Tag></TagSet></Tagging>"""));

        Assert.Equal("photos", input.GetString("Bucket"));
        var tag = (Dictionary<string, object?>)input.GetStruct("Tagging")!.GetList("TagSet")!.Single()!;
        Assert.Equal("team", tag.GetString("Key"));
        Assert.Equal("a & b", tag.GetString("Value"));
    }

    [Fact]
    public async Task Reads_an_xsi_type_attribute_and_keeps_whitespace_in_values()
    {
        var input = await ParseS3(Put("/photos?acl", """
            <AccessControlPolicy>
              <AccessControlList>
                <Grant>
                  <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>  owner  </ID></Grantee>
                  <Permission>FULL_CONTROL</Permission>
                </Grant>
              </AccessControlList>
            </AccessControlPolicy>
            """));

        var grant = (Dictionary<string, object?>)input.GetStruct("AccessControlPolicy")!.GetList("Grants")!.Single()!;
        var grantee = grant.GetStruct("Grantee")!;
        Assert.Equal("CanonicalUser", grantee.GetString("Type"));
        Assert.Equal("  owner  ", grantee.GetString("ID"));
    }

    [Theory]
    [InlineData("<Tagging><TagSet><Tag><Key>k</Key></TagSet></Tagging>")]
    [InlineData("not xml at all")]
    [InlineData("""<!DOCTYPE t [<!ENTITY x "boom">]><Tagging><TagSet/></Tagging>""")]
    public async Task Malformed_xml_is_answered_with_MalformedXML(string body)
    {
        var error = await Assert.ThrowsAsync<AwsException>(() => ParseS3(Put("/photos?tagging", body)));

        Assert.Equal("MalformedXML", error.Code);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("The XML you provided was not well-formed or did not validate against our published schema", error.Message);
    }

    [Fact]
    public async Task A_value_that_is_not_of_its_type_is_MalformedXML()
    {
        var body = "<LifecycleConfiguration><Rule><Status>Enabled</Status><Expiration><Days>soon</Days></Expiration></Rule></LifecycleConfiguration>";

        var error = await Assert.ThrowsAsync<AwsException>(() => ParseS3(Put("/photos?lifecycle", body)));

        Assert.Equal("MalformedXML", error.Code);
    }

    [Fact]
    public void Renders_s3_listings_under_the_root_name_s3_uses()
    {
        var model = Models.Load("s3");
        var output = new Dictionary<string, object?>
        {
            ["Name"] = "photos",
            ["KeyCount"] = 1L,
            ["IsTruncated"] = false,
            ["Contents"] = new List<object?>
            {
                new Dictionary<string, object?> { ["Key"] = "a.jpg", ["Size"] = 3L, ["LastModified"] = new DateTimeOffset(2024, 1, 2, 3, 4, 5, 6, TimeSpan.Zero) },
            },
        };

        var response = Protocol.Serialize(model, model.FindOperation("ListObjectsV2")!, output, "req-1");
        var root = XmlProtocolCases.Xml(response);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/xml", response.ContentType);
        Assert.Equal("req-1", response.Headers.Get("x-amz-request-id"));
        Assert.Equal(S3 + "ListBucketResult", root.Name);
        var contents = root.Element(S3 + "Contents")!;
        Assert.Equal("a.jpg", contents.Element(S3 + "Key")!.Value);
        Assert.Equal("2024-01-02T03:04:05.006Z", contents.Element(S3 + "LastModified")!.Value);
        Assert.Equal("false", root.Element(S3 + "IsTruncated")!.Value);
    }

    [Fact]
    public void Renders_grantee_types_as_xsi_type_attributes()
    {
        var model = Models.Load("s3");
        var output = new Dictionary<string, object?>
        {
            ["Grants"] = new List<object?>
            {
                new Dictionary<string, object?>
                {
                    ["Grantee"] = new Dictionary<string, object?> { ["Type"] = "CanonicalUser", ["ID"] = "abc" },
                    ["Permission"] = "FULL_CONTROL",
                },
            },
        };

        var root = XmlProtocolCases.Xml(Protocol.Serialize(model, model.FindOperation("GetBucketAcl")!, output, "req-1"));

        var grantee = root.Element(S3 + "AccessControlList")!.Element(S3 + "Grant")!.Element(S3 + "Grantee")!;
        Assert.Equal("CanonicalUser", grantee.Attribute(XNamespace.Get("http://www.w3.org/2001/XMLSchema-instance") + "type")!.Value);
    }

    [Fact]
    public void Renders_the_bucket_location_as_the_root_text()
    {
        var model = Models.Load("s3");

        var response = Protocol.Serialize(model, model.FindOperation("GetBucketLocation")!, new() { ["LocationConstraint"] = "eu-west-1" }, "req-1");

        Assert.Equal(S3 + "LocationConstraint", XmlProtocolCases.Xml(response).Name);
        Assert.Equal("eu-west-1", XmlProtocolCases.Xml(response).Value);
    }

    [Fact]
    public void Renders_s3_errors_as_a_bare_error_element_with_their_fields()
    {
        var model = Models.Load("s3");
        var error = new AwsException("NoSuchBucket", "The specified bucket does not exist", 404,
            fields: new() { ["BucketName"] = "photos" });

        var response = Protocol.SerializeError(model, model.FindOperation("ListObjectsV2"), error, "req-2");
        var root = XmlProtocolCases.Xml(response);

        Assert.Equal(404, response.StatusCode);
        Assert.Equal("application/xml", response.ContentType);
        Assert.Equal("Error", root.Name.LocalName);
        Assert.Equal("", root.Name.NamespaceName);
        Assert.Equal("NoSuchBucket", root.Element("Code")!.Value);
        Assert.Equal("The specified bucket does not exist", root.Element("Message")!.Value);
        Assert.Equal("photos", root.Element("BucketName")!.Value);
        Assert.Equal("req-2", root.Element("RequestId")!.Value);
    }

    [Fact]
    public void Renders_errors_of_head_requests_without_a_body()
    {
        var model = Models.Load("s3");

        var response = Protocol.SerializeError(model, model.FindOperation("HeadObject"), new AwsException("NoSuchKey", "The specified key does not exist.", 404), "req-3");

        Assert.Equal(404, response.StatusCode);
        Assert.Null(response.Body);
        Assert.Equal("req-3", response.Headers.Get("x-amz-request-id"));
    }

    [Fact]
    public void Renders_other_services_errors_in_an_error_response_with_their_namespace()
    {
        var model = Models.Load("route53");
        XNamespace route53 = "https://route53.amazonaws.com/doc/2013-04-01/";

        var response = Protocol.SerializeError(model, model.FindOperation("GetHostedZone"), new AwsException("NoSuchHostedZone", "No hosted zone found with ID: Z1", 404), "req-4");
        var root = XmlProtocolCases.Xml(response);

        Assert.Equal(route53 + "ErrorResponse", root.Name);
        var e = root.Element(route53 + "Error")!;
        Assert.Equal("Sender", e.Element(route53 + "Type")!.Value);
        Assert.Equal("NoSuchHostedZone", e.Element(route53 + "Code")!.Value);
        Assert.Equal("req-4", root.Element(route53 + "RequestId")!.Value);
    }

    [Theory]
    [InlineData("DELETE", "/photos/a/b.jpg", null, "DeleteObject")]
    [InlineData("DELETE", "/photos/a/b.jpg?uploadId=u1", null, "AbortMultipartUpload")]
    [InlineData("PUT", "/photos/b.jpg", null, "PutObject")]
    [InlineData("PUT", "/photos/b.jpg", "x-amz-copy-source", "CopyObject")]
    [InlineData("PUT", "/photos/b.jpg?partNumber=1&uploadId=u1", null, "UploadPart")]
    [InlineData("PUT", "/photos/b.jpg?partNumber=1&uploadId=u1", "x-amz-copy-source", "UploadPartCopy")]
    [InlineData("GET", "/photos/b.jpg", null, "GetObject")]
    [InlineData("GET", "/photos/b.jpg?uploadId=u1", null, "ListParts")]
    [InlineData("GET", "/photos?lifecycle", null, "GetBucketLifecycleConfiguration")]
    [InlineData("GET", "/photos?analytics", null, "ListBucketAnalyticsConfigurations")]
    [InlineData("GET", "/photos?analytics&id=a1", null, "GetBucketAnalyticsConfiguration")]
    [InlineData("GET", "/", null, "ListBuckets")]
    [InlineData("GET", "/?max-directory-buckets=10", null, "ListDirectoryBuckets")]
    public void Routes_s3_requests_that_share_a_path_by_their_required_parameters(string method, string pathAndQuery, string? header, string operation)
    {
        var model = Models.Load("s3");
        var headers = new HeaderMap();
        if (header is not null) headers.Add(header, "/source/key");

        var resolved = Protocol.ResolveOperation(model, AwsRequest.FromBytes(method, pathAndQuery, [], headers));

        Assert.Equal(operation, resolved?.Name);
    }
}
