using Sarcostat.Cohort;
using Sarcostat.Registry.Services;
using Sarcostat.Study;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;

namespace Sarcostat.Registry.Tests;

public class ImportTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private static string Samples(string file)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Sarcostat.slnx")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir.FullName, "samples", "chang2024", file);
    }

    /// <summary>The first <paramref name="n"/> demo patients as canonical CSV files; data row <paramref name="ecogRow"/> (spreadsheet row) gets ECOG 9.</summary>
    private static ImportUpload Upload(int n, int? ecogRow = null, int? ecog = null, IReadOnlyList<FileAmendment>? amendments = null)
    {
        var patients = File.ReadAllLines(Samples("patients.csv")).Take(n + 1).ToArray();
        var header = patients[0].Split(',');
        var ecogColumn = Array.IndexOf(header, "ecog");
        if (ecogRow is { } row)
        {
            var cells = patients[row - 1].Split(',');
            cells[ecogColumn] = (ecog ?? 9).ToString(System.Globalization.CultureInfo.InvariantCulture);
            patients[row - 1] = string.Join(',', cells);
        }

        var ids = patients.Skip(1).Select(l => l.Split(',')[0]).ToHashSet();
        var procedures = File.ReadAllLines(Samples("procedures.csv")).Where((l, i) => i == 0 || ids.Contains(l.Split(',')[0])).ToArray();
        static byte[] Bytes(string[] lines) => System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        return new ImportUpload([new UploadedFile("patients.csv", Bytes(patients)), new UploadedFile("procedures.csv", Bytes(procedures))], Amendments: amendments);
    }

    private static (int Patients, int Audit, int Batches) Counts(World w) =>
        (w.Count(db => db.Patients), w.Count(db => db.AuditEntries), w.Count(db => db.ImportBatches));

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void A_preview_reports_every_problem_and_writes_nothing_and_a_failed_commit_leaves_the_store_unchanged(string provider)
    {
        var w = fixture[provider];
        var before = Counts(w);
        var preview = w.Imports.Preview(w.ManagerA, w.SiteA, Upload(6, ecogRow: 3));

        preview.CanCommit.Should().BeFalse();
        preview.Problems.Should().Contain(p => p.File == "patients.csv" && p.Row == 3 && p.Column == "ecog" && p.Rule == "out-of-range");
        preview.Problems.Should().NotContain(p => p.File.Contains("sarcostat-import", StringComparison.Ordinal), "problems name the uploaded file, not a temporary path");
        preview.Rejected.Should().ContainSingle();
        Counts(w).Should().Be(before);

        w.Imports.Commit(w.ManagerA, w.SiteA, Upload(6, ecogRow: 3)).Should().BeOfType<ImportRefused>();
        Counts(w).Should().Be(before, "an import commits whole or not at all");
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void A_file_amendment_fixes_a_planted_problem_and_the_commit_writes_every_patient_with_one_audit_row_each(string provider)
    {
        var w = fixture[provider];
        var fix = new FileAmendment(AmendmentKind.Set, "patients.csv", 3, "ecog", "9", "1", null, "typo, checked in the chart");
        var upload = Upload(6, ecogRow: 3, amendments: [fix]);
        var preview = w.Imports.Preview(w.ManagerB, w.SiteB, upload);
        preview.CanCommit.Should().BeTrue(string.Join("\n", preview.Problems.Concat<object>(preview.SetupErrors)));
        preview.Amendments.Should().ContainSingle(a => a.Kind == AmendmentKind.Set && a.Reason == fix.Reason);
        preview.New.Should().Be(6);

        var before = Counts(w);
        var committed = w.Imports.Commit(w.ManagerB, w.SiteB, upload).Should().BeOfType<ImportCommitted>().Subject;
        committed.Created.Should().Be(6);
        Counts(w).Should().Be((before.Patients + 6, before.Audit + 8, before.Batches + 1), "one create row per patient, one amend row for the file amendment, one import row");
        var stored = w.Patients.List(w.ManagerB, new PatientFilter(Search: World.Demo[1].StudyId)).Single();
        w.Patients.Get(w.ManagerB, stored.Id)!.Data.Patient.Ecog.Should().Be(1, "the amended value was imported");
        w.Audit.Query(w.ManagerB, new AuditFilter(RecordId: stored.RegistryId, Action: AuditActions.Amend)).Should().ContainSingle()
            .Which.Detail.Should().Contain("ecog").And.Contain(fix.Reason);

        var again = w.Imports.Commit(w.ManagerB, w.SiteB, upload).Should().BeOfType<ImportCommitted>().Subject;
        (again.Created, again.Updated, again.Unchanged).Should().Be((0, 0, 6));
        Counts(w).Should().Be((before.Patients + 6, before.Audit + 10, before.Batches + 2), "an unchanged patient gets no audit row (the amendment and the batch do)");

        var changed = w.Imports.Commit(w.ManagerB, w.SiteB, Upload(6, ecogRow: 3, ecog: 2)).Should().BeOfType<ImportCommitted>().Subject;
        (changed.Created, changed.Updated, changed.Unchanged).Should().Be((0, 1, 5));
        w.Audit.Query(w.ManagerB, new AuditFilter(RecordId: stored.RegistryId, Action: AuditActions.Update)).Should().ContainSingle()
            .Which.Should().Match<AuditEntry>(a => a.Field == "ecog" && a.OldValue == "1" && a.NewValue == "2");
        w.Patients.Get(w.ManagerB, stored.Id)!.Version.Should().Be(2);
        w.Imports.Batches(w.ManagerB, w.SiteB).Select(b => (b.Created, b.Updated, b.Unchanged)).Should().Equal((0, 1, 5), (0, 0, 6), (6, 0, 0));
        FluentActions.Invoking(() => w.Imports.Batches(w.ManagerA, w.SiteB)).Should().Throw<RegistryForbiddenException>();
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void A_commit_reports_each_patient_written_as_k_of_n_and_n_of_n_only_once_committed(string provider)
    {
        var w = fixture[provider];
        var seen = new List<WorkProgress>();
        var committed = new List<int>();
        var progress = new Recorder(p =>
        {
            seen.Add(p);
            committed.Add(w.Count(db => db.ImportBatches));
        });
        var before = w.Count(db => db.ImportBatches);
        w.Imports.Commit(w.Admin, w.SiteA, Upload(4), progress).Should().BeOfType<ImportCommitted>();

        seen[0].Should().Be(new WorkProgress("Reading and checking the files", 0, 0), "the amount of work is not known while the files are read");
        seen.Skip(1).Select(p => (p.Step, p.Of)).Should().Equal((1, 5), (2, 5), (3, 5), (4, 5), (5, 5));
        seen[4].Stage.Should().Be("Writing patients: 4 of 4");
        seen.Should().NotContain(p => p.Stage.Contains(World.Demo[0].StudyId, StringComparison.Ordinal), "stages carry counts, not patients");
        committed.Take(5).Should().OnlyContain(n => n == before, "patients are written inside the one transaction (not visible to another connection)");
        committed[^1].Should().Be(before + 1, "n of n is reported once the transaction has committed");

        var refused = new List<WorkProgress>();
        w.Imports.Commit(w.Admin, w.SiteA, Upload(4, ecogRow: 3), new Recorder(refused.Add)).Should().BeOfType<ImportRefused>();
        refused.Should().ContainSingle().Which.Of.Should().Be(0, "a refused import writes nothing and never reaches n of n");
    }

    private sealed class Recorder(Action<WorkProgress> report) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value) => report(value);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void A_commit_that_fails_half_way_rolls_back_every_write(string provider)
    {
        var w = fixture[provider];
        var imports = new ImportService(w.Database.App) { AfterPatientWritten = n => { if (n == 3) { throw new IOException("disk gone"); } } };
        var before = Counts(w);
        FluentActions.Invoking(() => imports.Commit(w.Admin, w.SiteA, Upload(5))).Should().Throw<IOException>();
        Counts(w).Should().Be(before);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void An_extract_is_read_through_a_saved_mapping_and_its_identifying_column_never_reaches_the_store(string provider)
    {
        var w = fixture[provider];
        const string mapping = """
            source: hospital_x
            columns:
              Chart ID: study_id
              Gender: sex
            codes:
              sex: {M: male, F: female}
            identifying:
              Patient name: drop
            """;
        w.Imports.SaveMapping(w.ManagerA, w.SiteA, "hospital-x", mapping).Should().BeEmpty();
        w.Imports.Mappings(w.ManagerA, w.SiteA).Should().ContainSingle(m => m.Name == "hospital-x");

        var upload = Upload(4);
        var lines = System.Text.Encoding.UTF8.GetString(upload.Files[0].Content).TrimEnd('\n').Split('\n');
        var header = lines[0].Split(',');
        var sex = Array.IndexOf(header, "sex");
        header[0] = "Chart ID";
        header[sex] = "Gender";
        var rows = lines.Skip(1).Select((l, i) =>
        {
            var cells = l.Split(',');
            cells[sex] = cells[sex] == "male" ? "M" : "F";
            return string.Join(',', cells) + $",Secretname Number{i}";
        });
        var patients = string.Join('\n', new[] { string.Join(',', header) + ",Patient name" }.Concat(rows)) + "\n";
        upload = upload with { Files = [new UploadedFile("export.csv", System.Text.Encoding.UTF8.GetBytes(patients)), upload.Files[1]], MappingName = "hospital-x" };

        var preview = w.Imports.Preview(w.ManagerA, w.SiteA, upload);
        preview.CanCommit.Should().BeTrue(string.Join("\n", preview.Problems.Concat<object>(preview.SetupErrors)));
        preview.Patients.Should().Be(4);
        var committed = w.Imports.Commit(w.ManagerA, w.SiteA, upload).Should().BeOfType<ImportCommitted>().Subject;
        committed.Created.Should().Be(4);
        var stored = w.Patients.List(w.ManagerA, new PatientFilter(Search: World.Demo[0].StudyId)).Single();
        w.Patients.Get(w.ManagerA, stored.Id)!.Data.Patient.Sex.Should().Be(World.Demo[0].Sex);
        w.Audit.ExportCsv(w.Admin, new AuditFilter(Take: 100_000)).Should().NotContain("Secretname");
        using var db = w.Database.Owner.CreateContext();
        db.Patients.Where(p => p.Name != null).Should().BeEmpty("a dropped column is never read");
        db.ImportBatches.Single(b => b.Id == committed.BatchId).MappingName.Should().Be("hospital-x");
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void A_workbook_upload_is_read_like_the_CLI_reads_it(string provider)
    {
        var w = fixture[provider];
        var site = w.AdminService.CreateSite(w.Admin, "xlsx-" + Guid.NewGuid().ToString("N")[..6], "Workbook site").Id;
        var csv = Upload(3);
        IReadOnlyList<IReadOnlyList<object?>> Rows(UploadedFile f) =>
            System.Text.Encoding.UTF8.GetString(f.Content).TrimEnd('\n').Split('\n')
                .Select(l => (IReadOnlyList<object?>)l.Split(',').Select(c => c.Length == 0 ? null : (object)c).ToList()).ToList();
        var book = Sarcostat.Import.Output.XlsxWriter.Build([("patients", Rows(csv.Files[0])), ("procedures", Rows(csv.Files[1]))]);

        var preview = w.Imports.Preview(w.Admin, site, new ImportUpload([new UploadedFile("cohort.xlsx", book)]));
        preview.CanCommit.Should().BeTrue(string.Join("\n", preview.Problems.Concat<object>(preview.SetupErrors)));
        preview.New.Should().Be(3);
        w.Imports.Commit(w.Admin, site, new ImportUpload([new UploadedFile("cohort.xlsx", book)])).Should().BeOfType<ImportCommitted>().Which.Created.Should().Be(3);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Racing_imports_of_the_same_patients_never_duplicate_them(string provider)
    {
        var w = fixture[provider];
        var site = w.AdminService.CreateSite(w.Admin, "race-" + Guid.NewGuid().ToString("N")[..6], "Race").Id;
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => w.Imports.Commit(w.Admin, site, Upload(5)))));

        outcomes.OfType<ImportCommitted>().Sum(c => c.Created).Should().Be(5, "each patient is created once");
        outcomes.OfType<ImportRefused>().Should().NotContain(r => r.Preview.SetupErrors.Count != 1, "a lost race is refused with one message");
        w.Patients.List(w.Admin, new PatientFilter(SiteId: site)).Should().HaveCount(5);
        w.Audit.Query(w.Admin, new AuditFilter(SiteId: site, Action: AuditActions.Create)).Should().HaveCount(5);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void Imports_are_for_the_managers_own_site_and_saved_mappings_are_checked(string provider)
    {
        var w = fixture[provider];
        FluentActions.Invoking(() => w.Imports.Preview(w.ManagerB, w.SiteA, Upload(2))).Should().Throw<RegistryForbiddenException>();
        FluentActions.Invoking(() => w.Imports.Commit(w.ManagerB, w.SiteA, Upload(2))).Should().Throw<RegistryForbiddenException>();
        w.Imports.SaveMapping(w.ManagerA, w.SiteA, "broken", "source: [unclosed").Should().NotBeEmpty();
        w.Imports.Mappings(w.ManagerA, w.SiteA).Should().NotContain(m => m.Name == "broken", "a mapping with errors is not saved");
        w.Imports.Preview(w.ManagerA, w.SiteA, Upload(2) with { MappingName = "nope" }).SetupErrors.Should().ContainSingle().Which.Should().Contain("no such saved mapping");
        FluentActions.Invoking(() => w.Imports.Mappings(w.ManagerB, w.SiteA)).Should().Throw<RegistryForbiddenException>();
        FluentActions.Invoking(() => w.Imports.SaveMapping(w.ManagerA, w.SiteA, "../evil", "source: x")).Should().Throw<ArgumentException>();

        var odd = w.Imports.Preview(w.ManagerA, w.SiteA, new ImportUpload([new UploadedFile("notes.pdf", [1, 2, 3])]));
        odd.CanCommit.Should().BeFalse();
        odd.SetupErrors.Concat(odd.Problems.Select(p => p.ToString())).Should().NotBeEmpty()
            .And.NotContain(m => m.Contains(Path.GetTempPath(), StringComparison.Ordinal) || m.Contains("sarcostat-import", StringComparison.Ordinal), "messages name the uploaded file, never the server's folders");
        w.Imports.Preview(w.ManagerA, w.SiteA, new ImportUpload([new UploadedFile("a.csv", [65]), new UploadedFile("A.csv", [65])])).SetupErrors.Should().ContainSingle();
    }
}

public class AmendmentAndCohortTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void Amendments_apply_like_file_amendments_and_a_pooled_run_is_the_CLIs_code_path(string provider)
    {
        using var database = TestDatabase.Create(provider);
        DemoSeed.SeedIfEmpty(database.App);
        var admin = new Actor("admin", Role.Admin);
        var analyst = new Actor("analyst", Role.Analyst);
        var sites = new AdminService(database.App).Sites(admin);
        var north = new Actor("north", Role.SiteDataManager, sites[0].Id);
        var patients = new PatientService(database.App);
        var amendments = new AmendmentService(database.App);
        var cohort = new CohortService(database.App);
        var protocol = ProtocolLoader.Resolve("chang2024");
        var day = new DateOnly(2026, 1, 2);

        // The pooled cohort gives the same analysis as the CLI's import of the same files (study ids aside).
        var pooled = cohort.Pooled(analyst);
        pooled.Patients.Should().HaveCount(World.Demo.Count);
        pooled.Patients.Should().OnlyContain(p => p.BirthDate == null && p.StudyId.StartsWith("PS-", StringComparison.Ordinal));
        pooled.Patients.Select(p => p.Site).Distinct().Should().BeEquivalentTo(["demo-north", "demo-south"]);
        var registryRun = cohort.Run(analyst, protocol, day);
        var cliRun = StudyRunner.Run(protocol, World.Demo, new RunContext("0.1.0", day));
        var (registryCells, cliCells) = (Cells(registryRun), Cells(cliRun));
        registryCells.Should().NotBeEmpty();
        var firstDifference = Enumerable.Range(0, Math.Min(registryCells.Count, cliCells.Count)).FirstOrDefault(i => registryCells[i] != cliCells[i], -1);
        firstDifference.Should().Be(-1, firstDifference < 0 ? "" : $"cell {firstDifference} is '{registryCells[firstDifference]}' in the registry's run and '{cliCells[firstDifference]}' in the CLI's");
        registryCells.Should().Equal(cliCells);
        new AuditService(database.App).Query(admin, new AuditFilter(Action: AuditActions.ReportRun)).Should().ContainSingle().Which.UserId.Should().Be("analyst");

        // A set amendment changes the field (audited as amend), an exclusion becomes the selection step of a file exclusion.
        var target = patients.List(north, new PatientFilter())[0];
        var current = patients.Get(north, target.Id)!;
        var set = amendments.Record(north, target.Id, current.Version, new RecordAmendment(AmendmentKind.Set, "ecog", "missing", "not in the chart")).Should().BeOfType<PatientSaved>().Subject;
        set.Patient.Data.Patient.Ecog.Should().BeNull();
        amendments.Record(north, target.Id, current.Version, new RecordAmendment(AmendmentKind.Exclude, null, null, "stale")).Should().BeOfType<PatientConflict>("the version moved on");
        amendments.Record(north, target.Id, set.Patient.Version, new RecordAmendment(AmendmentKind.Exclude, null, null, "carcinoma on review")).Should().BeOfType<PatientSaved>()
            .Which.Patient.Excluded.Should().BeTrue();
        FluentActions.Invoking(() => amendments.Record(north, target.Id, set.Patient.Version + 1, new RecordAmendment(AmendmentKind.Set, "ecog", "1", " "))).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => amendments.Record(north, target.Id, set.Patient.Version + 1, new RecordAmendment(AmendmentKind.Set, "ecog", "one", "r"))).Should().Throw<ArgumentException>();
        amendments.List(north, target.Id).Select(a => a.Kind).Should().Equal("exclude", "set");
        amendments.List(analyst).Should().OnlyContain(a => a.StudyId.StartsWith("PS-", StringComparison.Ordinal));
        var amendRows = new AuditService(database.App).Query(admin, new AuditFilter(RecordId: target.RegistryId, Action: AuditActions.Amend));
        amendRows.Select(a => a.Field).Should().BeEquivalentTo(["ecog", "excluded"]);

        var after = cohort.Run(analyst, protocol, day);
        var flow = after.Figures.OfType<FlowFigure>().Single();
        flow.Boxes.Select(b => b.Excluded).Should().Contain(e => e != null && e.Label.Contains("amendment", StringComparison.OrdinalIgnoreCase) && e.Count == 1);
        cohort.Pooled(analyst).Amendments.Should().Contain(a => a.Kind == AmendmentKind.Exclude && a.StudyId == target.Pseudonym && a.Reason == "carcinoma on review");

        FluentActions.Invoking(() => cohort.Pooled(north)).Should().Throw<RegistryForbiddenException>();
        FluentActions.Invoking(() => cohort.Run(north, protocol, day)).Should().Throw<RegistryForbiddenException>();
    }

    private static List<string> Cells(StudyReport report) =>
        report.Tables.SelectMany(t => t.Rows.SelectMany(r => r.Cells.Select(c => $"{t.Id}: {c.Text}"))).ToList();
}
