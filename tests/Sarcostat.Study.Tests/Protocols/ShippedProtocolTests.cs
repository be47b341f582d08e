using Sarcostat.Study.Protocols;

namespace Sarcostat.Study.Tests.Protocols;

public class ShippedProtocolTests
{
    [Theory]
    [InlineData("chang2024")]
    [InlineData("nakayama2022")]
    public void Shipped_protocol_loads_without_problems(string name)
    {
        var protocol = ProtocolLoader.Shipped(name);
        protocol.Name.Should().Be(name);
    }
}
