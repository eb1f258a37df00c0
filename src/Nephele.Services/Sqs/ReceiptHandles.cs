using System.Buffers.Text;
using System.Text;

namespace Nephele.Services.Sqs;

/// <summary>A receipt handle names the message row and the receive it came from; opaque to clients, as in AWS.</summary>
internal static class ReceiptHandles
{
    public static string Encode(string key, string nonce) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{key}|{nonce}"));

    public static (string Key, string Nonce)? Decode(string handle)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(handle));
            var bar = text.LastIndexOf('|');
            return bar > 0 && text.IndexOf('/', StringComparison.Ordinal) > 0 ? (text[..bar], text[(bar + 1)..]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
