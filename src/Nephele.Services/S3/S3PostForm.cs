using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// The multipart/form-data body of a browser upload (POST Object): the fields before the part named "file", and that
/// part's bytes as a stream read straight from the request. Fields after the file are never read, as in S3. Field names
/// are matched case-insensitively; values keep their case.
/// </summary>
internal sealed class S3PostForm
{
    /// <summary>S3 refuses more than 20 KB of form data before the file.</summary>
    public const int MaxPreDataBytes = 20480;
    private const string FileNameVariable = "${filename}";

    private S3PostForm(List<KeyValuePair<string, string>> fields, Stream? file, string? fileName)
    {
        Fields = fields;
        File = file;
        FileName = fileName;
    }

    /// <summary>The fields before the file, names as sent, values with ${filename} expanded.</summary>
    public List<KeyValuePair<string, string>> Fields { get; }
    public Stream? File { get; }
    /// <summary>The file part's file name without any path; null when the part carries no filename parameter.</summary>
    public string? FileName { get; }

    /// <summary>A field's value; several fields of one name are joined with commas, as S3 matches them.</summary>
    public string? Get(string name)
    {
        string? value = null;
        foreach (var (k, v) in Fields)
            if (k.Equals(name, StringComparison.OrdinalIgnoreCase)) value = value is null ? v : value + "," + v;
        return value;
    }

    public bool Has(string name) => Fields.Exists(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase));

    public static async Task<S3PostForm> ReadAsync(AwsRequest request, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var error = new AwsException("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412);
            error.Fields["Condition"] = "Bucket POST must be of the enclosure-type multipart/form-data";
            throw error;
        }
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary)) throw Malformed();
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = MaxPreDataBytes };
        var fields = new List<KeyValuePair<string, string>>();
        var preData = 0;
        try
        {
            while (await reader.ReadNextSectionAsync(ct).ConfigureAwait(false) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                    throw Malformed();
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (name.Equals("file", StringComparison.OrdinalIgnoreCase))
                {
                    // "${filename}" is the file's name without any path; without a filename parameter it stays as written.
                    var fileName = disposition.FileName.HasValue ? HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "" : null;
                    if (fileName is not null) fileName = fileName[(fileName.LastIndexOfAny(['/', '\\']) + 1)..];
                    var expanded = fields.Select(f => KeyValuePair.Create(f.Key, Expand(f.Value, fileName))).ToList();
                    return new S3PostForm(expanded, new FileStream(section.Body), fileName);
                }
                var value = await ReadFieldAsync(section.Body, MaxPreDataBytes - preData, ct).ConfigureAwait(false);
                preData += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value);
                if (preData > MaxPreDataBytes) throw TooMuchPreData();
                fields.Add(KeyValuePair.Create(name, value));
            }
        }
        catch (IOException) { throw Malformed(); }
        catch (InvalidDataException e) when (e.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase)) { throw TooMuchPreData(); }
        catch (InvalidDataException) { throw Malformed(); }
        return new S3PostForm(fields, null, null);
    }

    private static string Expand(string value, string? fileName) =>
        fileName is null ? value : value.Replace(FileNameVariable, fileName, StringComparison.Ordinal);

    private static async Task<string> ReadFieldAsync(Stream body, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int n;
        while ((n = await body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > limit) throw TooMuchPreData();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static AwsException Malformed() =>
        new("MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.", 400);

    private static AwsException TooMuchPreData()
    {
        var error = new AwsException("MaxPostPreDataLengthExceeded", "Your POST request fields preceeding the upload file was too large.", 400);
        error.Fields["MaxPostPreDataLengthBytes"] = MaxPreDataBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return error;
    }

    /// <summary>The file part as it streams from the request; a body cut short is a malformed POST, not a server error.</summary>
    private sealed class FileStream(Stream inner) : ReadOnlyStream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Malformed();
            }
        }
    }
}
