using EdgeLstm.Collector.Storage.Postgres;
using Npgsql;

namespace EdgeLstm.Collector.Tests.Storage;

public sealed class PostgresUriTests
{
    [Fact]
    public void A_URI_becomes_connection_settings_and_its_description_has_no_password()
    {
        NpgsqlConnectionStringBuilder settings = PostgresUri.Parse("postgresql://collector:p%40ss%3Aword@db.example:6543/edge%20lstm?sslmode=verify-full&connect_timeout=7&application_name=edge");
        Assert.Equal(("collector", "p@ss:word", "db.example", 6543, "edge lstm"), (settings.Username, settings.Password, settings.Host, settings.Port, settings.Database));
        Assert.Equal((SslMode.VerifyFull, 7, "edge"), (settings.SslMode, settings.Timeout, settings.ApplicationName));
        Assert.Equal("postgres://collector@db.example:6543/edge%20lstm", PostgresUri.Describe(settings));
    }

    [Fact]
    public void The_port_defaults_to_5432_and_an_IPv6_host_loses_its_brackets()
    {
        NpgsqlConnectionStringBuilder settings = PostgresUri.Parse("postgres://db.example/fleet");
        Assert.Equal(("db.example", 5432, "fleet", (string?)null), (settings.Host, settings.Port, settings.Database, settings.Username));
        Assert.Equal("::1", PostgresUri.Parse("postgres://[::1]:5433/x").Host);
    }

    [Theory]
    [InlineData("postgres://u:secret@host:notaport/db")]
    [InlineData("postgres://u:secret@host:5432/db?no_such_option=1")]
    [InlineData("postgres://u:secret@host:5432/db?sslmode=sometimes")]
    public void A_malformed_URI_is_refused_without_repeating_the_password(string uri)
    {
        var e = Assert.Throws<FormatException>(() => PostgresUri.Parse(uri));
        Assert.DoesNotContain("secret", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://x", true)]
    [InlineData("PostgreSQL://x", true)]
    [InlineData("./postgres.db", false)]
    [InlineData("/var/lib/edgelstm/edgelstm.db", false)]
    public void Only_a_postgres_scheme_names_PostgreSQL(string store, bool postgres) => Assert.Equal(postgres, PostgresUri.IsPostgres(store));
}
