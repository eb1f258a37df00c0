namespace Nephele.Core.Tests.Auth;

/// <summary>
/// Cases of AWS's published Signature Version 4 test suite (the "aws-sig-v4-test-suite", as maintained in
/// awslabs/aws-c-auth tests/aws-signing-test-suite/v4): the request to sign, whether the path is normalized
/// (every service but S3), the expected canonical request and the expected signature. All use access key
/// AKIDEXAMPLE, the secret below, region us-east-1, service "service" and time 2015-08-30T12:36:00Z.
/// </summary>
public sealed record SigV4SuiteCase(string Name, string Request, bool Normalize, string CanonicalRequest, string Signature,
    string? Token = null, bool TokenUnsigned = false, bool SignBody = false)
{
    public const string AccessKeyId = "AKIDEXAMPLE";
    public const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string Timestamp = "20150830T123600Z";
    public static readonly DateTimeOffset Time = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    public override string ToString() => Name;
}

public static class SigV4SuiteVectors
{
    private const string Empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string StsToken = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    private static string Plain(string method, string path, string query = "", string extraHeaders = "", string signed = "host;x-amz-date") =>
        $"{method}\n{path}\n{query}\nhost:example.amazonaws.com\n{extraHeaders}x-amz-date:20150830T123600Z\n\n{signed}\n{Empty}";

    public static readonly SigV4SuiteCase[] All =
    [
        new("get-header-key-duplicate", "GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value2\nMy-Header1:value2\nMy-Header1:value1\n", true,
            Plain("GET", "/", extraHeaders: "my-header1:value2,value2,value1\n", signed: "host;my-header1;x-amz-date"),
            "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"),
        new("get-header-value-multiline", "GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value1\n  value2\n     value3\n", true,
            Plain("GET", "/", extraHeaders: "my-header1:value1 value2 value3\n", signed: "host;my-header1;x-amz-date"),
            "cfd34249e4b1c8d6b91ef74165d41a32e5fab3306300901bb65a51a73575eefd"),
        new("get-header-value-order", "GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value4\nMy-Header1:value1\nMy-Header1:value3\nMy-Header1:value2\n", true,
            Plain("GET", "/", extraHeaders: "my-header1:value4,value1,value3,value2\n", signed: "host;my-header1;x-amz-date"),
            "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"),
        new("get-header-value-trim", "GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1: value1\nMy-Header2: \"a   b   c\"\n", true,
            Plain("GET", "/", extraHeaders: "my-header1:value1\nmy-header2:\"a b c\"\n", signed: "host;my-header1;my-header2;x-amz-date"),
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
        new("get-relative-normalized", "GET /example/.. HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("GET", "/"), "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        new("get-relative-relative-normalized", "GET /example1/example2/../.. HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("GET", "/"), "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        new("get-relative-relative-unnormalized", "GET /example1/example2/../.. HTTP/1.1\nHost:example.amazonaws.com\n", false,
            Plain("GET", "/example1/example2/../.."), "dc33e0856fd4baca4d7aa2146c38958283844764f38c74252a333df5e613003b"),
        new("get-relative-unnormalized", "GET /example/.. HTTP/1.1\nHost:example.amazonaws.com\n", false,
            Plain("GET", "/example/.."), "eca7ead57bb5aa5c8e28007acd4ff04e1ff9a0ff3b237ec1554a184887ff9282"),
        new("get-slash-dot-slash-normalized", "GET /./ HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("GET", "/"), "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        new("get-slash-dot-slash-unnormalized", "GET /./ HTTP/1.1\nHost:example.amazonaws.com\n", false,
            Plain("GET", "/./"), "68714168e6557f8f2de0ef956fc24dc2593a4bd2961f8df51898d8a134695145"),
        new("get-slash-normalized", "GET // HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("GET", "/"), "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        new("get-slash-pointless-dot-normalized", "GET /./example HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("GET", "/example"), "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5"),
        new("get-slash-pointless-dot-unnormalized", "GET /./example HTTP/1.1\nHost:example.amazonaws.com\n", false,
            Plain("GET", "/./example"), "beb03f223f7deae4146464f06e29eebbee9c8afbe15c290cf07aa8b119e14cff"),
        new("get-slash-unnormalized", "GET // HTTP/1.1\nHost:example.amazonaws.com\n", false,
            Plain("GET", "//"), "c88bcd3d312d75078c0cd961d6deae3f4c754924b01669efcfcb439fd5e5b76e"),
        new("get-slashes-normalized", "GET //example// HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("GET", "/example/"), "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"),
        new("get-slashes-unnormalized", "GET //example// HTTP/1.1\nHost:example.amazonaws.com\n", false,
            Plain("GET", "//example//"), "87cca117541a147f6df867677d98a7d80dff226d2bfca9e4ffa899665623c7e5"),
        new("get-space-normalized", "GET /example space/ HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("GET", "/example%20space/"), "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
        new("get-space-unnormalized", "GET /example space/ HTTP/1.1\nHost:example.amazonaws.com\n", false,
            Plain("GET", "/example%20space/"), "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
        new("get-unreserved", "GET /-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
            "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
        new("get-utf8", "GET /\u1234 HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("GET", "/%E1%88%B4"), "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
        new("get-vanilla", "GET / HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("GET", "/"), "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        new("get-vanilla-empty-query-key", "GET /?Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("GET", "/", "Param1=value1"), "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"),
        new("get-vanilla-query-order-encoded", "GET /?Param-3=Value3&Param=Value2&%E1%88%B4=Value1 HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("GET", "/", "%E1%88%B4=Value1&Param=Value2&Param-3=Value3"), "371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac"),
        new("get-vanilla-query-order-key-case", "GET /?Param2=value2&Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("GET", "/", "Param1=value1&Param2=value2"), "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        new("get-vanilla-query-unreserved",
            "GET /?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("GET", "/", "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
            "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"),
        new("get-vanilla-utf8-query", "GET /?\u1234=bar HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("GET", "/", "%E1%88%B4=bar"), "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
        new("get-vanilla-with-session-token", "GET / HTTP/1.1\nHost:example.amazonaws.com\n", true,
            $"GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\n\nhost;x-amz-date;x-amz-security-token\n{Empty}",
            "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8",
            Token: "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"),
        new("post-header-key-case", "POST / HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("POST", "/"), "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        new("post-header-key-sort", "POST / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value1\n", true,
            Plain("POST", "/", extraHeaders: "my-header1:value1\n", signed: "host;my-header1;x-amz-date"),
            "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"),
        new("post-header-value-case", "POST / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:VALUE1\n", true,
            Plain("POST", "/", extraHeaders: "my-header1:VALUE1\n", signed: "host;my-header1;x-amz-date"),
            "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"),
        new("post-sts-header-after", "POST / HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("POST", "/"), "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
            Token: StsToken, TokenUnsigned: true),
        new("post-sts-header-before", "POST / HTTP/1.1\nHost:example.amazonaws.com\n", true,
            $"POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:{StsToken}\n\nhost;x-amz-date;x-amz-security-token\n{Empty}",
            "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead", Token: StsToken),
        new("post-vanilla", "POST / HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("POST", "/"), "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        new("post-vanilla-query", "POST /?Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\n", true,
            Plain("POST", "/", "Param1=value1"), "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"),
        new("post-x-www-form-urlencoded",
            "POST / HTTP/1.1\nContent-Type:application/x-www-form-urlencoded\nHost:example.amazonaws.com\nContent-Length:13\n\nParam1=value1", true,
            "POST\n/\n\ncontent-length:13\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\nx-amz-date:20150830T123600Z\n\ncontent-length;content-type;host;x-amz-content-sha256;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b", SignBody: true),
        new("post-x-www-form-urlencoded-parameters",
            "POST / HTTP/1.1\nContent-Type:application/x-www-form-urlencoded; charset=utf-8\nHost:example.amazonaws.com\nContent-Length:13\n\nParam1=value1", true,
            "POST\n/\n\ncontent-length:13\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:example.amazonaws.com\nx-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\nx-amz-date:20150830T123600Z\n\ncontent-length;content-type;host;x-amz-content-sha256;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            "328d1b9eaadca9f5818ef05e8392801e091653bafec24fcab71e7344e7f51422", SignBody: true),
    ];
}
