using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.Lambda.Runtime;

namespace Nephele.Services.Lambda;

public sealed partial class LambdaProvider
{
    private static readonly HashSet<string> ReservedEnvironmentKeys =
    [
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    ];

    private async ValueTask<Dictionary<string, object?>> CreateFunction(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input, allowQualifier: false);
        if (input.GetString("PackageType") == "Image" || input.GetStruct("Code")?.GetString("ImageUri") is not null)
            throw LambdaErrors.InvalidParameter("Nephele does not support container image functions (PackageType Image) yet; deploy a .zip package instead.");
        var runtime = input.GetString("Runtime");
        var handler = input.GetString("Handler");
        if (runtime is null || handler is null)
            throw LambdaErrors.InvalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
        var role = ValidRole(input.RequireString("Role"));
        var code = input.GetStruct("Code") ?? throw LambdaErrors.Constraint(null, "code", "Member must not be null");
        var settings = ReadSettings(input, new Settings(runtime, handler, role, "", 3, 128, 512, [], "PassThrough", null, null, "Text", null, ["x86_64"]));
        var layers = FunctionLayers(ctx, f, input) ?? [];
        var (blob, sha, size) = await StoreCode(ctx, f, code);

        var function = new FunctionRecord { Name = f.Name, Tags = ValidTags(input.GetStringMap("Tags")) };
        var latest = NewVersionRecord(ctx, f.Name, LambdaStore.Latest, settings, blob, sha, size) with { Layers = layers };
        var created = _store.Transaction(() =>
        {
            if (_store.Function(f.Scope, f.Name) is not null) return false;
            _store.PutFunction(f.Scope, function);
            _store.PutVersion(f.Scope, latest);
            return true;
        });
        if (!created)
        {
            _store.State.Blobs.Delete("lambda", blob);
            throw LambdaErrors.Conflict($"Function already exist: {f.Name}");
        }
        var result = Configuration(f.Scope, latest, state: "Pending");
        if (input.GetBool("Publish") == true)
            result = Configuration(f.Scope, Publish(ctx, f, null, null, null), state: "Pending");
        return result;
    }

    private Dictionary<string, object?> GetFunction(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input);
        var function = RequireFunction(f);
        var version = ResolveVersion(f);
        var result = new Dictionary<string, object?>
        {
            ["Configuration"] = Configuration(f.Scope, version),
            ["Code"] = new Dictionary<string, object?> { ["RepositoryType"] = "S3" },
        };
        if (function.Tags.Count > 0) result["Tags"] = function.Tags.ToDictionary(t => t.Key, t => (object?)t.Value);
        if (function.ReservedConcurrency is { } reserved)
            result["Concurrency"] = new Dictionary<string, object?> { ["ReservedConcurrentExecutions"] = (long)reserved };
        return result;
    }

    private Dictionary<string, object?> GetFunctionConfiguration(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input);
        return Configuration(f.Scope, ResolveVersion(f));
    }

    private Dictionary<string, object?> ListFunctions(RequestContext ctx, Dictionary<string, object?> input)
    {
        var all = input.GetString("FunctionVersion") switch
        {
            null => false,
            "ALL" => true,
            var other => throw LambdaErrors.Constraint(other, "functionVersion", "Member must satisfy enum value set: [ALL]"),
        };
        var versions = _store.Functions(ctx.Scope).SelectMany(fn => all
            ? _store.Versions(ctx.Scope, fn.Name)
            : _store.Version(ctx.Scope, fn.Name, LambdaStore.Latest) is { } latest ? [latest] : []);
        var (page, next) = Page(versions, v => v.FunctionName + ":" + (v.Version == LambdaStore.Latest ? "" : v.Version.PadLeft(10, '0')), input);
        return new()
        {
            ["Functions"] = page.Select(v => (object?)Configuration(ctx.Scope, v, qualifyLatest: all)).ToList(),
            ["NextMarker"] = next,
        };
    }

    private async ValueTask<Dictionary<string, object?>> UpdateFunctionCode(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input, allowQualifier: false);
        if (input.GetString("ImageUri") is not null)
            throw LambdaErrors.InvalidParameter("Nephele does not support container image functions (PackageType Image) yet; deploy a .zip package instead.");
        RequireFunction(f);
        if (input.GetBool("DryRun") == true)
        {
            var current = ResolveVersion(f, LambdaStore.Latest);
            return Configuration(f.Scope, current, updateStatus: "InProgress");
        }
        var (blob, sha, size) = await StoreCode(ctx, f, input);
        var (updated, obsolete) = _store.Transaction(() =>
        {
            var latest = ResolveVersion(f, LambdaStore.Latest);
            CheckRevision(input, latest.RevisionId);
            var next = latest with
            {
                CodeBlob = blob,
                CodeSha256 = sha,
                CodeSize = size,
                LastModified = ctx.Now,
                RevisionId = Guid.NewGuid().ToString(),
                Architectures = input.GetStrings("Architectures") is { Count: > 0 } arch ? ValidArchitectures(arch) : latest.Architectures,
            };
            _store.PutVersion(f.Scope, next);
            var stillUsed = _store.Versions(f.Scope, f.Name).Any(v => v.CodeBlob == latest.CodeBlob);
            return (next, stillUsed ? null : latest.CodeBlob);
        });
        if (_runtime.IsValueCreated) _runtime.Value.RetireVersion(f.Scope, f.Name, LambdaStore.Latest);
        if (obsolete is not null)
        {
            _store.State.Blobs.Delete("lambda", obsolete);
            await CollectUnpackedCodeAsync();
        }
        var result = Configuration(f.Scope, updated, updateStatus: "InProgress");
        if (input.GetBool("Publish") == true) result = Configuration(f.Scope, Publish(ctx, f, null, null, null), updateStatus: "InProgress");
        return result;
    }

    private async ValueTask<Dictionary<string, object?>> UpdateFunctionConfiguration(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input, allowQualifier: false);
        var layersBefore = "";
        var updated = _store.Transaction(() =>
        {
            var latest = ResolveVersion(f, LambdaStore.Latest);
            layersBefore = OptDirectory.Id(latest.Layers);
            CheckRevision(input, latest.RevisionId);
            var s = ReadSettings(input, new Settings(latest.Runtime, latest.Handler, latest.Role, latest.Description, latest.Timeout, latest.MemorySize,
                latest.EphemeralStorage, latest.Environment, latest.TracingMode, latest.DeadLetterTargetArn, latest.KmsKeyArn, latest.LogFormat,
                latest.LogGroup, latest.Architectures));
            var next = Apply(latest, s) with
            {
                LastModified = ctx.Now,
                RevisionId = Guid.NewGuid().ToString(),
                Layers = FunctionLayers(ctx, f, input) ?? latest.Layers,
            };
            _store.PutVersion(f.Scope, next);
            return next;
        });
        if (OptDirectory.Id(updated.Layers) != layersBefore) await CollectUnpackedCodeAsync();
        return Configuration(f.Scope, updated, updateStatus: "InProgress");
    }

    private async ValueTask<Dictionary<string, object?>> DeleteFunction(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input);
        RequireFunction(f);
        if (f.Qualifier is { } qualifier)
        {
            if (qualifier == LambdaStore.Latest)
                throw LambdaErrors.InvalidParameter("$LATEST version cannot be deleted without deleting the function.");
            if (!IsVersionNumber(qualifier))
                throw LambdaErrors.InvalidParameter("Deletion of aliases is not supported by DeleteFunction; use DeleteAlias.");
            var blob = _store.Transaction(() =>
            {
                var version = _store.Version(f.Scope, f.Name, qualifier) ?? throw LambdaErrors.NotFound(f.QualifiedArn);
                if (_store.Aliases(f.Scope, f.Name).FirstOrDefault(a => a.FunctionVersion == qualifier || a.AdditionalVersionWeights.ContainsKey(qualifier)) is { } alias)
                    throw LambdaErrors.Conflict($"Unable to delete version because the following aliases reference it: [{alias.Name}]");
                _store.DeleteVersion(f.Scope, f.Name, qualifier);
                return _store.Versions(f.Scope, f.Name).Any(v => v.CodeBlob == version.CodeBlob) ? null : version.CodeBlob;
            });
            if (blob is not null) _store.State.Blobs.Delete("lambda", blob);
            DeleteProvisionedOf(f.Scope, f.Name, qualifier);
            if (_runtime.IsValueCreated) _runtime.Value.RetireVersion(f.Scope, f.Name, qualifier);
        }
        else
        {
            var blobs = _store.Transaction(() =>
            {
                DeleteEventInvokeConfigs(f.Scope, f.Name);
                return _store.DeleteFunction(f.Scope, f.Name);
            });
            DeleteFunctionUrls(f.Scope, f.Name);
            foreach (var blob in blobs) _store.State.Blobs.Delete("lambda", blob);
            if (_runtime.IsValueCreated) _runtime.Value.Retire(f.Scope, f.Name);
        }
        await CollectUnpackedCodeAsync();
        return new() { ["StatusCode"] = 204L };
    }

    private static void CheckRevision(Dictionary<string, object?> input, string current)
    {
        if (input.GetString("RevisionId") is { } expected && expected != current) throw LambdaErrors.PreconditionFailed();
    }

    /// <summary>Validates and stores a .zip package (ZipFile, or S3Bucket/S3Key/S3ObjectVersion).</summary>
    private async ValueTask<(string Blob, string Sha, long Size)> StoreCode(RequestContext ctx, FunctionRef f, Dictionary<string, object?> code)
    {
        var zip = await ReadPackageAsync(ctx, code);
        var sha = Convert.ToBase64String(SHA256.HashData(zip));
        var blob = $"{f.Scope.AccountId}/{f.Scope.Region}/{f.Name}/{Guid.NewGuid():N}.zip";
        await _store.State.Blobs.WriteAsync("lambda", blob, new MemoryStream(zip), ctx.Aborted);
        return (blob, sha, zip.Length);
    }

    private static FunctionVersionRecord NewVersionRecord(RequestContext ctx, string name, string version, Settings s, string blob, string sha, long size) =>
        Apply(new FunctionVersionRecord
        {
            FunctionName = name,
            Version = version,
            Runtime = s.Runtime,
            Role = s.Role,
            Handler = s.Handler,
            CodeBlob = blob,
            CodeSha256 = sha,
            CodeSize = size,
            LastModified = ctx.Now,
            RevisionId = Guid.NewGuid().ToString(),
        }, s);

    private static FunctionVersionRecord Apply(FunctionVersionRecord v, Settings s) => v with
    {
        Runtime = s.Runtime,
        Handler = s.Handler,
        Role = s.Role,
        Description = s.Description,
        Timeout = s.Timeout,
        MemorySize = s.MemorySize,
        EphemeralStorage = s.EphemeralStorage,
        Environment = s.Environment,
        TracingMode = s.TracingMode,
        DeadLetterTargetArn = s.DeadLetterTargetArn,
        KmsKeyArn = s.KmsKeyArn,
        LogFormat = s.LogFormat,
        LogGroup = s.LogGroup,
        Architectures = s.Architectures,
    };

    /// <summary>The settings CreateFunction and UpdateFunctionConfiguration share.</summary>
    private sealed record Settings(string Runtime, string Handler, string Role, string Description, int Timeout, int MemorySize, int EphemeralStorage,
        Dictionary<string, string> Environment, string TracingMode, string? DeadLetterTargetArn, string? KmsKeyArn, string LogFormat, string? LogGroup,
        List<string> Architectures);

    private static Settings ReadSettings(Dictionary<string, object?> input, Settings current)
    {
        var s = current;
        if (input.GetString("Runtime") is { } runtime)
        {
            if (!Runtime.RuntimeCatalog.Known.Contains(runtime))
                throw LambdaErrors.Constraint(runtime, "runtime", $"Member must satisfy enum value set: [{string.Join(", ", Runtime.RuntimeCatalog.Known)}] or be a valid ARN");
            if (Runtime.RuntimeCatalog.Deprecated(runtime))
                throw LambdaErrors.InvalidParameter($"The runtime parameter of {runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.");
            s = s with { Runtime = runtime };
        }
        if (input.GetString("Handler") is { } handler)
        {
            if (handler.Length > 128 || handler.Any(char.IsWhiteSpace))
                throw LambdaErrors.Constraint(handler, "handler", "Member must satisfy regular expression pattern: [^\\s]+");
            s = s with { Handler = handler };
        }
        if (input.GetString("Role") is { } role) s = s with { Role = ValidRole(role) };
        if (input.GetString("Description") is { } description)
        {
            if (description.Length > 256) throw LambdaErrors.Constraint(description, "description", "Member must have length less than or equal to 256");
            s = s with { Description = description };
        }
        if (input.GetInt("Timeout") is { } timeout)
        {
            if (timeout is < 1 or > 900) throw LambdaErrors.Constraint(timeout, "timeout", timeout < 1 ? "Member must have value greater than or equal to 1" : "Member must have value less than or equal to 900");
            s = s with { Timeout = timeout };
        }
        if (input.GetInt("MemorySize") is { } memory)
        {
            if (memory is < 128 or > 10240) throw LambdaErrors.Constraint(memory, "memorySize", memory < 128 ? "Member must have value greater than or equal to 128" : "Member must have value less than or equal to 10240");
            s = s with { MemorySize = memory };
        }
        if (input.GetStruct("EphemeralStorage")?.GetInt("Size") is { } storage)
        {
            if (storage is < 512 or > 10240) throw LambdaErrors.Constraint(storage, "ephemeralStorage.size", "Member must have value between 512 and 10240");
            s = s with { EphemeralStorage = storage };
        }
        if (input.GetStruct("Environment") is { } environment)
        {
            var variables = environment.GetStringMap("Variables");
            var reserved = variables.Keys.Where(ReservedEnvironmentKeys.Contains).ToList();
            if (reserved.Count > 0)
                throw LambdaErrors.InvalidParameter("Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: " + string.Join(", ", reserved));
            var bytes = variables.Sum(v => System.Text.Encoding.UTF8.GetByteCount(v.Key) + System.Text.Encoding.UTF8.GetByteCount(v.Value));
            if (bytes > 4096)
                throw LambdaErrors.InvalidParameter("Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit.");
            foreach (var key in variables.Keys)
                if (!EnvironmentKeyPattern().IsMatch(key))
                    throw LambdaErrors.Constraint(key, "environment.variables", "Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+");
            s = s with { Environment = variables };
        }
        if (input.GetStruct("TracingConfig")?.GetString("Mode") is { } mode)
        {
            if (mode is not ("Active" or "PassThrough")) throw LambdaErrors.Constraint(mode, "tracingConfig.mode", "Member must satisfy enum value set: [Active, PassThrough]");
            s = s with { TracingMode = mode };
        }
        if (input.GetStruct("DeadLetterConfig") is { } dlq) s = s with { DeadLetterTargetArn = dlq.GetString("TargetArn") is { Length: > 0 } t ? t : null };
        if (input.GetString("KMSKeyArn") is { } kms) s = s with { KmsKeyArn = kms.Length > 0 ? kms : null };
        if (input.GetStruct("LoggingConfig") is { } logging)
        {
            if (logging.GetString("LogFormat") is { } format)
            {
                if (format is not ("Text" or "JSON")) throw LambdaErrors.Constraint(format, "loggingConfig.logFormat", "Member must satisfy enum value set: [JSON, Text]");
                s = s with { LogFormat = format };
            }
            if (logging.GetString("LogGroup") is { } group) s = s with { LogGroup = group };
        }
        if (input.GetStrings("Architectures") is { Count: > 0 } architectures) s = s with { Architectures = ValidArchitectures(architectures) };
        return s;
    }

    private static List<string> ValidArchitectures(IReadOnlyList<string> architectures)
    {
        if (architectures.Count != 1 || architectures[0] is not ("x86_64" or "arm64"))
            throw LambdaErrors.Constraint($"[{string.Join(", ", architectures)}]", "architectures", "Member must have length less than or equal to 1 and satisfy enum value set: [x86_64, arm64]");
        return [.. architectures];
    }

    private static string ValidRole(string role)
    {
        if (!RolePattern().IsMatch(role))
            throw LambdaErrors.Constraint(role, "role", "Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
        return role;
    }

    private static Dictionary<string, string> ValidTags(Dictionary<string, string> tags)
    {
        foreach (var key in tags.Keys)
            if (key.StartsWith("aws:", StringComparison.Ordinal))
                throw LambdaErrors.InvalidParameter("aws: prefixed tag key names are not allowed for external use.");
        return tags;
    }

    [GeneratedRegex(@"^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$")]
    private static partial Regex RolePattern();

    [GeneratedRegex(@"^[a-zA-Z]([a-zA-Z0-9_])+$")]
    private static partial Regex EnvironmentKeyPattern();
}
