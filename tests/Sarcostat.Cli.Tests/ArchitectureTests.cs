using System.Reflection;
using System.Xml.Linq;

namespace Sarcostat.Cli.Tests;

/// <summary>
/// The layering of docs/architecture.md, checked on the built assemblies (issue 11): each project references exactly
/// the projects it uses (a reference without use, or a use through another project's reference, fails), only the
/// projects its layer may know, and none of the libraries of another layer (no file format in the engine, no HTML or
/// Word in the study layer, no command line below the edge).
/// </summary>
public class ArchitectureTests
{
    /// <summary>Each project and the Sarcostat projects it may reference.</summary>
    public static readonly TheoryData<string, string[]> Layers = new()
    {
        { "Sarcostat.Survival", [] },
        { "Sarcostat.Files", [] },
        { "Sarcostat.Cohort", ["Sarcostat.Files"] },
        { "Sarcostat.Import", ["Sarcostat.Cohort", "Sarcostat.Files"] },
        { "Sarcostat.Simulation", ["Sarcostat.Cohort", "Sarcostat.Files", "Sarcostat.Import"] },
        { "Sarcostat.Study", ["Sarcostat.Cohort", "Sarcostat.Survival", "Sarcostat.Files"] },
        { "Sarcostat.Reports", ["Sarcostat.Study", "Sarcostat.Files"] },
        // The registry's store and services (issue 14): a domain-service layer beside Study; nothing below knows it.
        { "Sarcostat.Registry", ["Sarcostat.Cohort", "Sarcostat.Files", "Sarcostat.Import", "Sarcostat.Study", "Sarcostat.Survival"] },
        // The web app (issue 14): an edge like the CLI, thin over the registry's services and the report writers.
        { "Sarcostat.Web", ["Sarcostat.Survival", "Sarcostat.Files", "Sarcostat.Cohort", "Sarcostat.Import", "Sarcostat.Simulation", "Sarcostat.Study", "Sarcostat.Reports", "Sarcostat.Registry"] },
        { "sarcostat", ["Sarcostat.Survival", "Sarcostat.Files", "Sarcostat.Cohort", "Sarcostat.Import", "Sarcostat.Simulation", "Sarcostat.Study", "Sarcostat.Reports"] },
    };

    /// <summary>Libraries that belong to one layer only, and the assemblies that may use them.</summary>
    private static readonly Dictionary<string, string[]> Libraries = new(StringComparer.Ordinal)
    {
        ["MathNet.Numerics"] = ["Sarcostat.Survival"],
        ["YamlDotNet"] = ["Sarcostat.Files", "Sarcostat.Cohort"],
        ["ExcelDataReader"] = ["Sarcostat.Import"],
        ["DocumentFormat.OpenXml"] = ["Sarcostat.Import", "Sarcostat.Reports"],
        ["DocumentFormat.OpenXml.Framework"] = ["Sarcostat.Import", "Sarcostat.Reports"],
        ["SkiaSharp"] = ["Sarcostat.Reports"],
        ["Svg.Skia"] = ["Sarcostat.Reports"],
        ["System.CommandLine"] = ["sarcostat"],
        // Persistence stays in the registry (and, later, its web edge); no MVC below the web edge.
        // The web edge names the registry's context type once, for Identity's EF stores (AddEntityFrameworkStores).
        ["Microsoft.EntityFrameworkCore"] = ["Sarcostat.Registry", "Sarcostat.Web"],
        ["Microsoft.EntityFrameworkCore.Relational"] = ["Sarcostat.Registry"],
        ["Microsoft.EntityFrameworkCore.Sqlite"] = ["Sarcostat.Registry"],
        ["Microsoft.Data.Sqlite"] = ["Sarcostat.Registry"],
        ["Npgsql"] = ["Sarcostat.Registry"],
        ["Npgsql.EntityFrameworkCore.PostgreSQL"] = ["Sarcostat.Registry"],
        ["Microsoft.AspNetCore.Identity.EntityFrameworkCore"] = ["Sarcostat.Registry", "Sarcostat.Web"],
        // The context holds the data-protection keys (IDataProtectionKeyContext); the web edge persists its keys to it.
        ["Microsoft.AspNetCore.DataProtection.EntityFrameworkCore"] = ["Sarcostat.Registry", "Sarcostat.Web"],
        ["Microsoft.Extensions.Identity.Core"] = ["Sarcostat.Registry", "Sarcostat.Web"],
        ["Microsoft.Extensions.Identity.Stores"] = ["Sarcostat.Registry", "Sarcostat.Web"],
        ["Microsoft.AspNetCore.Mvc"] = ["Sarcostat.Web"],
        ["Microsoft.AspNetCore.Mvc.Core"] = ["Sarcostat.Web"],
        ["Microsoft.AspNetCore.Mvc.ViewFeatures"] = ["Sarcostat.Web"],
        ["Microsoft.AspNetCore.Mvc.RazorPages"] = ["Sarcostat.Web"],
        ["Microsoft.AspNetCore.OpenApi"] = ["Sarcostat.Web"],
    };

    private static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sarcostat.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Sarcostat.slnx not found above the test binaries.");
    }

    private static string ProjectFile(string assembly)
    {
        var name = assembly == "sarcostat" ? "Sarcostat.Cli" : assembly;
        return Path.Combine(RepositoryRoot(), "src", name, name + ".csproj");
    }

    private static HashSet<string> Used(string assembly) =>
        Load(assembly).GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Sarcostat", StringComparison.OrdinalIgnoreCase) || n == "sarcostat").ToHashSet(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Layers))]
    public void A_project_uses_only_the_projects_of_its_layer(string assembly, string[] allowed) =>
        Used(assembly).Should().BeSubsetOf(allowed, $"{assembly} may know only {string.Join(", ", allowed.DefaultIfEmpty("no other project"))}");

    [Theory]
    [MemberData(nameof(Layers))]
    public void A_project_references_exactly_the_projects_it_uses(string assembly, string[] allowed)
    {
        _ = allowed;
        var declared = XDocument.Load(ProjectFile(assembly)).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .Select(n => n == "Sarcostat.Cli" ? "sarcostat" : n)
            .ToHashSet(StringComparer.Ordinal);
        declared.Should().BeEquivalentTo(Used(assembly), $"{assembly}'s project references must match the projects its code uses");
    }

    [Fact]
    public void Libraries_stay_in_their_layer()
    {
        foreach (var (assembly, _) in Layers.Select(row => ((string)row[0], (string[])row[1])))
        {
            foreach (var reference in Load(assembly).GetReferencedAssemblies().Select(a => a.Name!))
            {
                if (Libraries.TryGetValue(reference, out var owners))
                {
                    owners.Should().Contain(assembly, $"{reference} belongs to {string.Join(", ", owners)}, not to {assembly}");
                }
            }
        }
    }

    [Fact]
    public void ASP_NET_Core_stays_in_the_web_edge_and_the_registry()
    {
        foreach (var (assembly, _) in Layers.Select(row => ((string)row[0], (string[])row[1])).Where(a => a.Item1 is not ("Sarcostat.Web" or "Sarcostat.Registry")))
        {
            Load(assembly).GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal))
                .Should().BeEmpty($"ASP.NET Core belongs to the web edge (and Identity's stores to the registry), not to {assembly}");
        }
    }

    [Fact]
    public void Nothing_below_the_edges_references_the_registry() =>
        Layers.Select(row => (string)row[0]).Where(a => a is not ("Sarcostat.Registry" or "Sarcostat.Web"))
            .Where(a => Used(a).Contains("Sarcostat.Registry")).Should().BeEmpty("the registry stands on the domain layers, never under them");

    [Fact]
    public void The_test_fails_for_a_forbidden_reference()
    {
        // The check itself can fail: the engine may know no other project, and Study does use the engine.
        Used("Sarcostat.Study").Should().Contain("Sarcostat.Survival");
        var engineMayNotKnowStudy = FluentActions.Invoking(() => new[] { "Sarcostat.Study" }.Should().BeSubsetOf(Array.Empty<string>()));
        engineMayNotKnowStudy.Should().Throw<Exception>();
    }
}

/// <summary>One set of warning codes, documented (issue 11): every code the sources emit is in docs/warnings.md.</summary>
public class WarningCodesDocumentedTests
{
    [Fact]
    public void Every_warning_code_in_the_sources_is_documented()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Sarcostat.slnx")))
        {
            root = root.Parent;
        }

        root.Should().NotBeNull();
        var docs = File.ReadAllText(Path.Combine(root!.FullName, "docs", "warnings.md"));
        var pattern = new System.Text.RegularExpressions.Regex(@"(?:AnalysisWarning|Warn|ReportWarning)\(\s*""([a-z]+(?:-[a-z]+)+)""");
        var codes = Directory.EnumerateFiles(Path.Combine(root.FullName, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => pattern.Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();
        codes.Should().HaveCountGreaterThan(20, "the scan finds the warnings");
        codes.Where(c => !docs.Contains($"`{c}`", StringComparison.Ordinal)).Should().BeEmpty("every warning code is documented in docs/warnings.md");
    }
}
