using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;
using Nephele.Core.Protocols;

namespace Nephele.Services.SecretsManager;

/// <summary>
/// RotationRules: when the next rotation of a secret is due. AutomaticallyAfterDays and rate(N days) count whole days
/// from the last rotation (AWS rotates within the window that opens at midnight UTC of that day); rate(N hours) counts
/// hours; cron(minutes hours day-of-month month day-of-week year) is AWS's six-field cron, evaluated in UTC.
/// </summary>
internal static partial class RotationSchedule
{
    [GeneratedRegex(@"^rate\((\d+) (day|days|hour|hours)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex Rate();

    [GeneratedRegex(@"^cron\((.+)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex Cron();

    [GeneratedRegex(@"^(\d+)h$", RegexOptions.CultureInvariant)]
    private static partial Regex Hours();

    /// <summary>The rules of a RotateSecret request, validated as AWS does; null when the request has none.</summary>
    public static SecretRotationRules? Read(Dictionary<string, object?> input)
    {
        if (input.GetValueOrDefault("RotationRules") is not Dictionary<string, object?> rules) return null;
        var days = rules.GetLong("AutomaticallyAfterDays");
        var expression = rules.GetString("ScheduleExpression");
        var duration = rules.GetString("Duration");
        if (days is not null && expression is not null)
            throw InvalidParameter("You can't specify both AutomaticallyAfterDays and ScheduleExpression in RotationRules.");
        if (days is not null and (< 1 or > 1000)) throw InvalidParameter("RotationRules.AutomaticallyAfterDays must be within 1-1000.");
        if (days is null && expression is null)
            throw InvalidParameter("You must specify either AutomaticallyAfterDays or ScheduleExpression in RotationRules.");
        var parsed = new SecretRotationRules(days, expression, duration);
        var interval = MinimumInterval(parsed);
        if (duration is not null)
        {
            var match = Hours().Match(duration);
            var hours = match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            if (hours is < 1 or > 24) throw InvalidParameter("The rotation window Duration must be between 1h and 24h.");
            if (TimeSpan.FromHours(hours) > interval)
                throw InvalidParameter("The rotation window Duration can't be longer than the rotation interval.");
        }
        return parsed;
    }

    /// <summary>When a rotation is next due after one that happened (or a schedule that began) at <paramref name="from"/>.</summary>
    public static DateTimeOffset Next(SecretRotationRules rules, DateTimeOffset from)
    {
        if (rules.AutomaticallyAfterDays is { } days) return Midnight(from).AddDays(days);
        var expression = rules.ScheduleExpression!;
        if (Rate().Match(expression) is { Success: true } rate)
        {
            var n = int.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture);
            return rate.Groups[2].Value.StartsWith("day", StringComparison.Ordinal) ? Midnight(from).AddDays(n) : from.AddHours(n);
        }
        return ParseCron(expression).GetNextOccurrence(from.UtcDateTime, TimeZoneInfo.Utc) is { } next
            ? new DateTimeOffset(next, TimeSpan.Zero)
            : DateTimeOffset.MaxValue;
    }

    /// <summary>The shortest time between two rotations the rules allow; AWS requires at least four hours.</summary>
    private static TimeSpan MinimumInterval(SecretRotationRules rules)
    {
        if (rules.AutomaticallyAfterDays is { } automatic) return TimeSpan.FromDays(automatic);
        var expression = rules.ScheduleExpression!;
        if (Rate().Match(expression) is { Success: true } rate)
        {
            var n = long.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture);
            var days = rate.Groups[2].Value.StartsWith("day", StringComparison.Ordinal);
            if (days && n is < 1 or > 1000) throw InvalidParameter("The rate expression must specify between 1 and 1000 days.");
            if (!days && n is < 4 or > 23) throw InvalidParameter("The rate expression must specify between 4 and 23 hours.");
            return days ? TimeSpan.FromDays(n) : TimeSpan.FromHours(n);
        }
        if (!Cron().IsMatch(expression)) throw InvalidScheduleExpression();
        var cron = ParseCron(expression);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var occurrences = cron.GetOccurrences(start, start.AddYears(1)).Take(50).ToList();
        if (occurrences.Count == 0) throw InvalidScheduleExpression();
        var shortest = occurrences.Count == 1 ? TimeSpan.FromDays(365) : occurrences.Zip(occurrences.Skip(1), (a, b) => b - a).Min();
        if (shortest < TimeSpan.FromHours(4))
            throw InvalidParameter("The schedule expression must allow at least four hours between rotations.");
        return shortest;
    }

    /// <summary>AWS cron (six fields, day-of-week 1-7 from Sunday, a year field) as a five-field Cronos expression.</summary>
    private static CronExpression ParseCron(string expression)
    {
        var fields = Cron().Match(expression).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6 || fields[5] is not ("*" or "?")) throw InvalidScheduleExpression();
        var dayOfWeek = Regex.Replace(fields[4], @"\d+", m => int.Parse(m.Value, CultureInfo.InvariantCulture) is var d and >= 1 and <= 7
            ? (d - 1).ToString(CultureInfo.InvariantCulture) : m.Value);
        // After '#' the number is the week of the month, not a day: restore it.
        if (fields[4].Contains('#', StringComparison.Ordinal)) dayOfWeek = $"{dayOfWeek.Split('#')[0]}#{fields[4].Split('#')[1]}";
        try
        {
            return CronExpression.Parse(string.Join(' ', fields[0], fields[1], fields[2], fields[3], dayOfWeek));
        }
        catch (CronFormatException)
        {
            throw InvalidScheduleExpression();
        }
    }

    private static DateTimeOffset Midnight(DateTimeOffset at) => new(at.UtcDateTime.Date, TimeSpan.Zero);

    private static AwsException InvalidScheduleExpression() =>
        InvalidParameter("Invalid ScheduleExpression: use rate(N days), rate(N hours) or cron(minutes hours day-of-month month day-of-week year).");

    private static AwsException InvalidParameter(string message) => new("InvalidParameterException", message);
}
