using Nephele.Core.Time;

namespace Nephele.Core.Tests.Time;

public sealed class Iso8601DurationTests
{
    public static TheoryData<string, TimeSpan> Valid => new()
    {
        { "PT1H", TimeSpan.FromHours(1) },
        { "P1D", TimeSpan.FromDays(1) },
        { "PT30M15S", new TimeSpan(0, 30, 15) },
        { "P1DT2H", new TimeSpan(1, 2, 0, 0) },
        { "P2W", TimeSpan.FromDays(14) },
        { "P1DT1H1M1S", new TimeSpan(1, 1, 1, 1) },
        { "PT0S", TimeSpan.Zero },
        { "PT90M", TimeSpan.FromMinutes(90) },
        { "PT1.5S", TimeSpan.FromMilliseconds(1500) },
        { "PT0,25H", TimeSpan.FromMinutes(15) },
        { "P0.5D", TimeSpan.FromHours(12) },
        { "PT36H", TimeSpan.FromHours(36) },
        { "pt1h", TimeSpan.FromHours(1) },
        { " PT1H ", TimeSpan.FromHours(1) },
        { "-PT1H", TimeSpan.FromHours(-1) },
        { "P10000D", TimeSpan.FromDays(10000) },
    };

    [Theory, MemberData(nameof(Valid))]
    public void A_well_formed_duration_parses_to_its_length(string text, TimeSpan expected)
    {
        Assert.Equal(expected, Iso8601Duration.Parse(text));
        Assert.True(Iso8601Duration.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1H")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("P1H")]
    [InlineData("PT1D")]
    [InlineData("PT1")]
    [InlineData("PTH")]
    [InlineData("PT1H2H")]
    [InlineData("PT1S1M")]
    [InlineData("P1DT1HT1M")]
    [InlineData("PT1.5M30S")]
    [InlineData("PT1.H")]
    [InlineData("PT.5H")]
    [InlineData("PT1..5H")]
    [InlineData("PT-1H")]
    [InlineData("PT1X")]
    [InlineData("P1D2")]
    [InlineData("P99999999999D")]
    [InlineData("PT1H ago")]
    public void A_malformed_duration_is_rejected_with_a_FormatException(string text)
    {
        var error = Assert.Throws<FormatException>(() => Iso8601Duration.Parse(text));
        Assert.StartsWith($"'{text}' is not an ISO-8601 duration: ", error.Message);
        Assert.False(Iso8601Duration.TryParse(text, out _));
    }

    [Theory]
    [InlineData("P1Y")]
    [InlineData("P2M")]
    [InlineData("P1Y2M3D")]
    public void Years_and_months_are_rejected_because_they_have_no_fixed_length(string text)
    {
        var error = Assert.Throws<FormatException>(() => Iso8601Duration.Parse(text));
        Assert.Contains("years and months have no fixed length", error.Message);
    }

    [Fact]
    public void Null_is_not_a_duration()
        => Assert.False(Iso8601Duration.TryParse(null, out _));
}
