using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

/// <summary>IAM's error codes with their HTTP statuses (the query protocol renders the code as given).</summary>
internal static class IamErrors
{
    public static AwsException NoSuchEntity(string message) => new("NoSuchEntity", message, 404);

    public static AwsException AlreadyExists(string message) => new("EntityAlreadyExists", message, 409);

    public static AwsException DeleteConflict(string message) => new("DeleteConflict", message, 409);

    public static AwsException LimitExceeded(string message) => new("LimitExceeded", message, 409);

    public static AwsException Validation(string message) => new("ValidationError", message, 400);

    public static AwsException InvalidInput(string message) => new("InvalidInput", message, 400);

    public static AwsException Malformed(string message) => new("MalformedPolicyDocument", message, 400);

    public static AwsException Unmodifiable(string message) => new("UnmodifiableEntity", message, 400);

    public static AwsException ProtectedRole(string roleName) =>
        Unmodifiable($"Cannot perform the operation on the protected role '{roleName}' - this role is only modifiable by AWS");

    public static AwsException NoSuchUser(string name) => NoSuchEntity($"The user with name {name} cannot be found.");

    public static AwsException NoSuchGroup(string name) => NoSuchEntity($"The group with name {name} cannot be found.");

    public static AwsException NoSuchRole(string name) => NoSuchEntity($"The role with name {name} cannot be found.");

    public static AwsException NoSuchInstanceProfile(string name) => NoSuchEntity($"Instance Profile {name} cannot be found.");

    /// <summary>A value that breaks a modeled constraint, in AWS's "1 validation error detected" form.</summary>
    public static AwsException Constraint(string member, string? value, string constraint) =>
        Validation($"1 validation error detected: Value {(value is null ? "null" : $"'{value}'")} at '{member}' failed to satisfy constraint: {constraint}");
}
