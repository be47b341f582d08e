using Sarcostat.Cohort;
using Sarcostat.Registry.Services;

namespace Sarcostat.Registry.Tests;

public class PatientServiceTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void A_site_manager_lists_and_reads_only_their_own_sites_patients(string provider)
    {
        var w = fixture[provider];
        var a = w.Add(w.SiteA, 1);
        var b = w.Add(w.SiteB, 2);

        var listed = w.Patients.List(w.ManagerA, new PatientFilter());
        listed.Select(p => p.Id).Should().Contain(a.Id).And.NotContain(b.Id);
        listed.Should().OnlyContain(p => p.SiteId == w.SiteA);
        w.Patients.List(w.ManagerA, new PatientFilter(SiteId: w.SiteB)).Should().OnlyContain(p => p.SiteId == w.SiteA, "a manager's site filter cannot widen their view");
        w.Patients.Get(w.ManagerA, a.Id).Should().NotBeNull();
        w.Patients.Get(w.ManagerA, b.Id).Should().BeNull("another site's record is not found, never leaked");
        w.Patients.Get(w.ManagerA, 987_654_321).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void A_site_manager_cannot_edit_another_sites_patient_and_it_looks_not_found(string provider)
    {
        var w = fixture[provider];
        var b = w.Add(w.SiteB, 3);
        var audit = w.Count(db => db.AuditEntries);

        w.Patients.Update(w.ManagerA, b.Id, b.Version, World.Valid(3, b.Data.Patient.StudyId)).Should().BeOfType<PatientNotFound>();
        w.Amendments.Record(w.ManagerA, b.Id, b.Version, new RecordAmendment(AmendmentKind.Exclude, null, null, "test")).Should().BeOfType<PatientNotFound>();
        FluentActions.Invoking(() => w.Patients.Create(w.ManagerA, w.SiteB, World.Valid(1))).Should().Throw<RegistryForbiddenException>();
        var siteless = new Actor("manager-without-site", Role.SiteDataManager);
        FluentActions.Invoking(() => w.Patients.List(siteless, new PatientFilter())).Should().Throw<RegistryForbiddenException>();
        FluentActions.Invoking(() => w.Patients.Get(siteless, b.Id)).Should().Throw<RegistryForbiddenException>();
        w.Count(db => db.AuditEntries).Should().Be(audit, "nothing was written");
        w.Patients.Get(w.Admin, b.Id)!.Version.Should().Be(b.Version);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void An_analyst_reads_pseudonymised_records_of_every_site_and_edits_nothing(string provider)
    {
        var w = fixture[provider];
        var a = w.Add(w.SiteA, 4);
        var b = w.Add(w.SiteB, 5);

        var listed = w.Patients.List(w.Analyst, new PatientFilter());
        listed.Select(p => p.Id).Should().Contain([a.Id, b.Id]);
        listed.Should().OnlyContain(p => p.StudyId == null, "analysts see pseudonyms, not the sites' study ids");
        var seen = w.Patients.Get(w.Analyst, a.Id)!;
        seen.Data.Name.Should().BeNull();
        seen.Data.RecordNumber.Should().BeNull();
        seen.Data.Patient.BirthDate.Should().BeNull();
        seen.Data.Patient.StudyId.Should().Be(a.Pseudonym);
        seen.Data.Patient.AgeAtPm.Should().NotBeNull("the age at PM replaces the birth date");
        seen.Problems.Should().NotContain(p => p.StudyId != a.Pseudonym);
        w.Patients.List(w.Analyst, new PatientFilter(Search: a.Data.Patient.StudyId)).Should().NotContain(p => p.Id == a.Id, "analysts cannot search by the site's study id");

        FluentActions.Invoking(() => w.Patients.Update(w.Analyst, a.Id, a.Version, World.Valid(4))).Should().Throw<RegistryForbiddenException>();
        FluentActions.Invoking(() => w.Patients.Create(w.Analyst, w.SiteA, World.Valid(4))).Should().Throw<RegistryForbiddenException>();
        FluentActions.Invoking(() => w.Amendments.Record(w.Analyst, a.Id, a.Version, new RecordAmendment(AmendmentKind.Exclude, null, null, "x"))).Should().Throw<RegistryForbiddenException>();
        FluentActions.Invoking(() => w.Imports.Preview(w.Analyst, w.SiteA, new ImportUpload([]))).Should().Throw<RegistryForbiddenException>();
        FluentActions.Invoking(() => w.Audit.Query(w.Analyst, new AuditFilter())).Should().Throw<RegistryForbiddenException>();
        FluentActions.Invoking(() => w.AdminService.CreateUser(w.Analyst, "x", Role.Analyst, null)).Should().Throw<RegistryForbiddenException>();
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void Filters_select_by_histology_vital_status_problems_and_search(string provider)
    {
        var w = fixture[provider];
        var a = w.Add(w.SiteA, 6);
        var p = a.Data.Patient;
        var hits = w.Patients.List(w.ManagerA, new PatientFilter(Histology: p.Histology, VitalStatus: p.VitalStatus, Search: p.StudyId.ToLowerInvariant()));
        hits.Should().ContainSingle(x => x.Id == a.Id);
        w.Patients.List(w.ManagerA, new PatientFilter(Histology: "no-such-histology")).Should().BeEmpty();
        w.Patients.List(w.ManagerA, new PatientFilter(HasProblems: a.Problems.Count == 0)).Should().NotContain(x => x.Id == a.Id);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void A_save_that_breaks_the_CLIs_rules_is_refused_with_its_problems_and_writes_nothing(string provider)
    {
        var w = fixture[provider];
        var a = w.Add(w.SiteA, 7);
        var audit = w.Count(db => db.AuditEntries);
        var pm = a.Data.Patient.FirstMetastasectomyDate!.Value;
        var bad = a.Data with { Patient = a.Data.Patient with { VitalStatus = "dead", DeathDate = pm.AddDays(-10), CauseOfDeath = "other", Ecog = 9 } };

        var result = w.Patients.Update(w.ManagerA, a.Id, a.Version, bad).Should().BeOfType<PatientInvalid>().Subject;
        result.Problems.Select(x => x.Rule).Should().Contain(["death-before-pm", "out-of-range"]);
        result.Problems.Should().Contain(x => x.Column == "ecog" && x.Severity == Severity.Error);
        w.Count(db => db.AuditEntries).Should().Be(audit);
        w.Patients.Get(w.ManagerA, a.Id)!.Version.Should().Be(a.Version);

        var other = w.Add(w.SiteA, 8);
        w.Patients.Create(w.ManagerA, w.SiteA, World.Valid(8, other.Data.Patient.StudyId)).Should().BeOfType<PatientInvalid>()
            .Which.Problems.Should().Contain(x => x.Rule == "duplicate-key");
        w.Patients.Create(w.ManagerB, w.SiteB, World.Valid(8, other.Data.Patient.StudyId)).Should().BeOfType<PatientSaved>("study ids are unique within a site only");
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void A_second_save_over_a_changed_record_is_a_conflict_with_both_versions(string provider)
    {
        var w = fixture[provider];
        var a = w.Add(w.SiteA, 9);
        var first = a.Data with { Patient = a.Data.Patient with { LargestNoduleMm = 11.5 } };
        var second = a.Data with { Patient = a.Data.Patient with { LargestNoduleMm = 12.5 } };

        var saved = w.Patients.Update(w.ManagerA, a.Id, a.Version, first).Should().BeOfType<PatientSaved>().Subject;
        saved.Patient.Version.Should().Be(a.Version + 1);
        var conflict = w.Patients.Update(w.Admin, a.Id, a.Version, second).Should().BeOfType<PatientConflict>().Subject;
        conflict.Current.Data.Patient.LargestNoduleMm.Should().Be(11.5);
        conflict.Current.Version.Should().Be(a.Version + 1);
        conflict.Attempted.Patient.LargestNoduleMm.Should().Be(12.5);
        conflict.ExpectedVersion.Should().Be(a.Version);
        w.Patients.Get(w.Admin, a.Id)!.Data.Patient.LargestNoduleMm.Should().Be(11.5, "the second save never overwrites silently");
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Racing_saves_of_the_same_version_give_one_save_and_conflicts_for_the_rest(string provider)
    {
        var w = fixture[provider];
        var a = w.Add(w.SiteA, 10);
        var tasks = Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            w.Patients.Update(w.ManagerA, a.Id, a.Version, a.Data with { Patient = a.Data.Patient with { Nodules = 10 + i } }))).ToList();
        var results = await Task.WhenAll(tasks);

        results.OfType<PatientSaved>().Should().ContainSingle();
        results.OfType<PatientConflict>().Should().HaveCount(5);
        var winner = results.OfType<PatientSaved>().Single().Patient.Data.Patient.Nodules;
        var now = w.Patients.Get(w.Admin, a.Id)!;
        now.Data.Patient.Nodules.Should().Be(winner);
        now.Version.Should().Be(a.Version + 1);
        w.Audit.Query(w.Admin, new AuditFilter(RecordId: a.RegistryId, Action: AuditActions.Update)).Should().ContainSingle();
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void Each_changed_field_gives_one_audit_row_and_identifying_values_never_reach_the_trail(string provider)
    {
        var w = fixture[provider];
        var a = w.Add(w.SiteA, 11);
        w.Audit.Query(w.Admin, new AuditFilter(RecordId: a.RegistryId)).Should().ContainSingle(x => x.Action == AuditActions.Create);
        var birth = new DateOnly(1950, 3, 17);
        var changed = new PatientInput(a.Data.Patient with { Ecog = 3, Smoking = "never", BirthDate = birth }, "Erika Mustersecret", "MRN-SECRET-4711");

        var saved = w.Patients.Update(w.ManagerA, a.Id, a.Version, changed).Should().BeOfType<PatientSaved>().Subject;
        var rows = w.Audit.Query(w.Admin, new AuditFilter(RecordId: a.RegistryId, Action: AuditActions.Update));
        var expectedFields = new List<string> { "name", "record_number", "birth_date", "ecog" };
        if (a.Data.Patient.Smoking != "never")
        {
            expectedFields.Add("smoking");
        }

        rows.Select(r => r.Field).Should().BeEquivalentTo(expectedFields, "exactly one row per changed field");
        saved.Changes.Should().Be(expectedFields.Count);
        rows.Single(r => r.Field == "ecog").NewValue.Should().Be("3");
        rows.Where(r => r.Field is "name" or "record_number" or "birth_date").Should().OnlyContain(r => r.NewValue == "changed");
        rows.Should().OnlyContain(r => r.UserId == "manager-a" && r.SiteId == w.SiteA && r.At.Kind == DateTimeKind.Utc);
        rows.Should().OnlyContain(r => r.At > DateTime.UtcNow.AddMinutes(-5) && r.At < DateTime.UtcNow.AddMinutes(1), "times are stored and read back in UTC");

        var all = w.Audit.ExportCsv(w.Admin, new AuditFilter(Take: 100_000));
        foreach (var secret in new[] { "Erika Mustersecret", "MRN-SECRET-4711", "1950-03-17", "Jane Testperson", "MRN-998877" })
        {
            all.Should().NotContain(secret);
        }

        w.Patients.Update(w.ManagerA, a.Id, saved.Patient.Version, changed).Should().BeOfType<PatientSaved>().Which.Changes.Should().Be(0, "an unchanged save writes no audit row");
        w.Patients.Get(w.ManagerA, a.Id)!.Version.Should().Be(saved.Patient.Version);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Racing_creates_of_one_study_id_give_one_patient_and_duplicate_key_for_the_rest(string provider)
    {
        var w = fixture[provider];
        var id = "RACE-" + Guid.NewGuid().ToString("N")[..6];
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => w.Patients.Create(w.ManagerA, w.SiteA, World.Valid(i, id)))));

        results.OfType<PatientSaved>().Should().ContainSingle();
        results.OfType<PatientInvalid>().Should().HaveCount(3).And.OnlyContain(r => r.Problems.Any(p => p.Rule == "duplicate-key"));
        w.Patients.List(w.ManagerA, new PatientFilter(Search: id)).Should().ContainSingle();
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void A_sites_problem_list_holds_its_records_warnings_only(string provider)
    {
        var w = fixture[provider];
        var input = World.Valid(14);
        input = input with { Patient = input.Patient with { Ecog = null } };
        var a = w.Patients.Create(w.ManagerA, w.SiteA, input).Should().BeOfType<PatientSaved>().Subject.Patient;
        a.Problems.Should().Contain(p => p.Column == "ecog" && p.Rule == "missing-recommended" && p.Severity == Severity.Warning);

        var problems = w.Patients.Problems(w.ManagerA);
        problems.Should().Contain(p => p.PatientId == a.Id && p.Problem.Rule == "missing-recommended" && p.Version == a.Version);
        problems.Should().OnlyContain(p => w.Patients.Get(w.ManagerA, p.PatientId) != null);
        w.Patients.Problems(w.ManagerB, w.SiteA).Should().NotContain(p => p.PatientId == a.Id, "a manager's site filter cannot widen their view");
        w.Patients.Problems(w.Admin).Should().Contain(p => p.PatientId == a.Id);
        FluentActions.Invoking(() => w.Patients.Problems(w.Analyst)).Should().Throw<RegistryForbiddenException>();
        w.Patients.List(w.ManagerA, new PatientFilter(HasProblems: true)).Should().Contain(p => p.Id == a.Id);
    }
}
