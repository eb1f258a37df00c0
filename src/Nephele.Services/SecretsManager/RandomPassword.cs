using System.Security.Cryptography;
using Nephele.Core.Protocols;

namespace Nephele.Services.SecretsManager;

/// <summary>GetRandomPassword: a cryptographically random password from the character classes the request allows.</summary>
internal static class RandomPassword
{
    private const string Lowercase = "abcdefghijklmnopqrstuvwxyz";
    private const string Uppercase = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    public static string Generate(Dictionary<string, object?> input)
    {
        var length = input.GetLong("PasswordLength") ?? 32;
        if (length is < 1 or > 4096)
            throw new AwsException("InvalidParameterException", "Password length must be between 1 and 4096 characters.");
        var exclude = input.GetString("ExcludeCharacters") ?? "";
        var classes = new List<string>();
        void Add(bool excluded, string chars)
        {
            if (excluded) return;
            var allowed = new string([.. chars.Where(c => !exclude.Contains(c))]);
            if (allowed.Length > 0) classes.Add(allowed);
        }
        Add(input.GetBool("ExcludeLowercase") ?? false, Lowercase);
        Add(input.GetBool("ExcludeUppercase") ?? false, Uppercase);
        Add(input.GetBool("ExcludeNumbers") ?? false, Digits);
        Add(input.GetBool("ExcludePunctuation") ?? false, Punctuation);
        Add(!(input.GetBool("IncludeSpace") ?? false), " ");
        if (classes.Count == 0)
            throw new AwsException("InvalidParameterException", "The password cannot be generated: every character type is excluded.");
        var requireEach = input.GetBool("RequireEachIncludedType") ?? true;
        if (requireEach && length < classes.Count)
            throw new AwsException("InvalidParameterException",
                $"The password length must be at least {classes.Count} to include a character from each included character type.");

        var all = string.Concat(classes);
        var password = new char[length];
        // One character from each class first (when required), the rest from all of them, then shuffle.
        var i = 0;
        if (requireEach)
            foreach (var set in classes) password[i++] = set[RandomNumberGenerator.GetInt32(set.Length)];
        for (; i < length; i++) password[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        RandomNumberGenerator.Shuffle(password.AsSpan());
        return new string(password);
    }
}
