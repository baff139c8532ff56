namespace EdgeKv.Durable.Tests;

[TestClass]
public sealed class SmokeTests
{
    [TestMethod]
    public void Arithmetic_Works() => Assert.AreEqual("EdgeKv.Durable", typeof(SmokeTests).Namespace![..14]);
}
