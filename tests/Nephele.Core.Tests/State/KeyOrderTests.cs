using Nephele.Core.State;

namespace Nephele.Core.Tests.State;

public sealed class KeyOrderTests
{
    [Fact]
    public void Keys_compare_by_code_point_so_supplementary_characters_sort_after_the_private_use_area()
    {
        Assert.True(KeyOrder.Compare("\uE000", "\U0001F600") < 0);
        Assert.True(string.CompareOrdinal("\uE000", "\U0001F600") > 0);
        Assert.True(KeyOrder.Compare("a", "ab") < 0);
        Assert.Equal(0, KeyOrder.Compare("é", "é"));
    }

    [Theory]
    [InlineData("a/", "a0")]
    [InlineData("é", "ê")]
    [InlineData("a\uD7FF", "a\uE000")]
    [InlineData("a\uFFFF", "a\U00010000")]
    [InlineData("a\U0001F600", "a\U0001F601")]
    [InlineData("a\U0010FFFF", "b")]
    public void The_prefix_upper_bound_is_the_prefix_with_its_last_code_point_incremented(string prefix, string expected)
        => Assert.Equal(expected, KeyOrder.PrefixUpperBound(prefix));

    [Fact]
    public void A_prefix_of_only_the_highest_code_point_has_no_upper_bound()
        => Assert.Null(KeyOrder.PrefixUpperBound("\U0010FFFF"));
}
