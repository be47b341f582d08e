using Sarcostat.Import;
using Sarcostat.Registry.Model;
using Sarcostat.Registry.Services;

namespace Sarcostat.Registry;

/// <summary>What seeding an empty store made: the admin to sign in as (password shown once), and the demo sites.</summary>
/// <param name="AdminUserName">The admin's user name.</param>
/// <param name="OneTimePassword">The admin's password: print it once; it must be changed at the first login.</param>
/// <param name="Sites">The demo sites and how many patients each got.</param>
public sealed record DemoSeedResult(string AdminUserName, string OneTimePassword, IReadOnlyList<KeyValuePair<string, int>> Sites)
{
    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"DemoSeedResult({AdminUserName}, {string.Join(", ", Sites.Select(s => $"{s.Key}: {s.Value}"))})";
}

/// <summary>
/// First start of an empty store: the built-in SYNTHETIC demo cohort (samples/chang2024, the one <c>sarcostat report</c>
/// uses without input) read through the CLI's importer and split across two demo sites (alternate patients), and an
/// admin account with a random one-time password flagged must-change.
/// </summary>
public static class DemoSeed
{
    /// <summary>The seeded admin's user name.</summary>
    public const string AdminUserName = "admin";

    /// <summary>The two demo sites (code, name).</summary>
    public static IReadOnlyList<(string Code, string Name)> DemoSites { get; } = [("demo-north", "Demo North (synthetic)"), ("demo-south", "Demo South (synthetic)")];

    /// <summary>Seeds the store when it has no user and no site; otherwise does nothing and returns null.</summary>
    public static DemoSeedResult? SeedIfEmpty(RegistryStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var system = new Actor("system", Role.Admin);
        using var db = store.CreateContext();
        if (db.Users.Any() || db.Sites.Any())
        {
            return null;
        }

        var patients = ReadDemoCohort();
        using var tx = db.Database.BeginTransaction();
        var sites = DemoSites.Select(s => AdminService.CreateSite(db, store, system, s.Code, s.Name)).ToList();
        var counts = new int[sites.Count];
        foreach (var (patient, i) in patients.Select((p, i) => (p, i)))
        {
            var site = sites[i % sites.Count];
            var record = new PatientRecord { RegistryId = PatientMapping.RandomId("R-", 5), Pseudonym = PatientMapping.RandomId("PS-", 5), SiteId = site.Id, StudyId = patient.StudyId, Version = 1 };
            if (PatientService.Write(db, store, system, record, site.Code, new PatientInput(patient), isNew: true, AuditActions.Create, "demo seed") is { } invalid)
            {
                throw new InvalidOperationException($"The built-in demo cohort does not validate: {invalid.Problems[0]}");
            }

            counts[i % sites.Count]++;
        }

        db.SaveChanges();
        var admin = AdminService.CreateUser(db, store, system, AdminUserName, Role.Admin, null);
        AuditLog.Add(db, store, system, AuditActions.Import, null, detail: $"demo seed: synthetic cohort chang2024, {patients.Count} patients across {sites.Count} sites");
        db.SaveChanges();
        tx.Commit();
        return new DemoSeedResult(AdminUserName, admin.OneTimePassword, sites.Select((s, i) => new KeyValuePair<string, int>(s.Code, counts[i])).ToList());
    }

    /// <summary>The demo cohort's patients, read from the embedded copies of samples/chang2024 by the CLI's importer.</summary>
    internal static IReadOnlyList<Cohort.Patient> ReadDemoCohort()
    {
        var dir = Directory.CreateTempSubdirectory("sarcostat-demo-").FullName;
        try
        {
            foreach (var file in new[] { "patients.csv", "procedures.csv" })
            {
                using var stream = typeof(DemoSeed).Assembly.GetManifestResourceStream($"Sarcostat.Registry.demo.{file}")
                    ?? throw new InvalidOperationException($"Embedded resource {file} is missing from the build.");
                using var target = File.Create(Path.Combine(dir, file));
                stream.CopyTo(target);
            }

            var result = CohortImporter.Import(new ImportRequest { Inputs = [dir] });
            return result.HasErrors ? throw new InvalidOperationException("The built-in demo cohort has errors.") : result.Patients;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
