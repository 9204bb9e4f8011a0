using Xunit.Abstractions;
using Xunit.Sdk;

namespace EdgeLstm.Collector.Tests.Servers;

/// <summary>A fact that needs a PostgreSQL server: skipped, with the reason, when PostgreSQL is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = PostgresBinaries.MissingReason!;
}

/// <summary>A theory that needs a PostgreSQL server: skipped, with the reason, when PostgreSQL is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute() => Skip = PostgresBinaries.MissingReason!;
}

/// <summary>A test class whose every test needs a PostgreSQL server (the PostgreSQL run of a shared suite).</summary>
public interface INeedPostgres;

/// <summary>A test class whose every test needs Mosquitto (<see cref="MosquittoBroker.Executable"/>).</summary>
public interface INeedMosquitto;

/// <summary>
/// A fact of a suite shared by several stores: it runs in every class deriving from the suite, and is skipped (with
/// the reason) in a class that is <see cref="INeedPostgres"/> when PostgreSQL is not installed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("EdgeLstm.Collector.Tests.Servers.StoreFactDiscoverer", "EdgeLstm.Collector.Tests")]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests as <see cref="StoreTestCase"/>s.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        [new StoreTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)];
}

/// <summary>A test case whose skip reason depends on the class it runs in.</summary>
public sealed class StoreTestCase : XunitTestCase
{
    [Obsolete("For the xunit de-serializer only.", error: true)]
    public StoreTestCase()
    {
    }

    public StoreTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method) : base(sink, display, options, method)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute)
    {
        Type testClass = TestMethod.TestClass.Class.ToRuntimeType();
        if (typeof(INeedPostgres).IsAssignableFrom(testClass) && PostgresBinaries.MissingReason is string reason) return reason;
        if (typeof(INeedMosquitto).IsAssignableFrom(testClass) && new MosquittoFactAttribute().Skip is string noBroker) return noBroker;
        return base.GetSkipReason(factAttribute);
    }
}
