using EdgeLstm.Core;

namespace EdgeLstm.Core.Tests;

public class InvalidModelExceptionTests
{
    [Fact]
    public void Message_and_inner_exception_are_kept()
    {
        var inner = new EndOfStreamException("eof");
        var ex = new InvalidModelException("layer 1: W has 3 rows, expected 4", inner);
        Assert.Equal("layer 1: W has 3 rows, expected 4", ex.Message);
        Assert.Same(inner, ex.InnerException);
    }
}
