namespace Sarcostat.Registry.Tests;

/// <summary>
/// The databases every registry test runs on: SQLite always; PostgreSQL when SARCOSTAT_POSTGRES holds an owner
/// connection string (SARCOSTAT_POSTGRES_APP the app role's; without it a temporary app role is made). With
/// SARCOSTAT_REQUIRE_POSTGRES=1 PostgreSQL is always in the list, so a missing server fails the tests instead of
/// leaving them out. (The web tests compile this file too: one rule for both test projects.)
/// </summary>
public static class Databases
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static string? OwnerConnection => Environment.GetEnvironmentVariable("SARCOSTAT_POSTGRES") is { Length: > 0 } s ? s : null;

    public static string? AppConnection => Environment.GetEnvironmentVariable("SARCOSTAT_POSTGRES_APP") is { Length: > 0 } s ? s : null;

    public static bool RequirePostgres => Environment.GetEnvironmentVariable("SARCOSTAT_REQUIRE_POSTGRES") == "1";

    /// <summary>The providers to run on.</summary>
    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string> { Sqlite };
            if (OwnerConnection is not null || RequirePostgres)
            {
                data.Add(Postgres);
            }

            return data;
        }
    }
}
