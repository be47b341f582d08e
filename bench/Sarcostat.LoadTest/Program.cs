// Loopback load test of the registry's web app (issue 14, docs/registry.md "Load test"): starts the app as a process
// on a database, then many concurrent API clients read and edit the same few patients for a fixed time. Afterwards:
// every acknowledged write is in the database, no edit was lost or applied twice (each patient's version rose by
// exactly its acknowledged writes, its value is that of the last one), and the audit trail has exactly one row per
// acknowledged change. Prints requests per second, p50/p99 latency and errors; exit 1 when a check fails.
//
//   dotnet run -c Release --project bench/Sarcostat.LoadTest -- [--seconds 30] [--clients 32] [--patients 10]
//        [--connection "Host=...;Username=app..."] [--owner "Host=...;Username=owner..."]
// Without --connection: a fresh SQLite file in a temporary folder.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Sarcostat.Registry;
using Sarcostat.Registry.Services;
using Sarcostat.Web.Api;

var options = Args(args);
var seconds = int.Parse(options.GetValueOrDefault("seconds", "30"), CultureInfo.InvariantCulture);
var clients = int.Parse(options.GetValueOrDefault("clients", "32"), CultureInfo.InvariantCulture);
var patientCount = int.Parse(options.GetValueOrDefault("patients", "10"), CultureInfo.InvariantCulture);
var folder = Directory.CreateTempSubdirectory("sarcostat-load-").FullName;
var connection = options.GetValueOrDefault("connection") ?? $"Data Source={Path.Combine(folder, "registry.db")}";
var port = FreePort();
var url = $"http://127.0.0.1:{port}";

var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Sarcostat.Web.dll"), "--urls", url])
{
    RedirectStandardOutput = true,
    RedirectStandardError = true,
    WorkingDirectory = folder,
};
start.Environment["ConnectionStrings__Registry"] = connection;
if (options.GetValueOrDefault("owner") is { } owner)
{
    start.Environment["ConnectionStrings__RegistryOwner"] = owner;
}

start.Environment["Sarcostat__DataFolder"] = Path.Combine(folder, "data");
start.Environment["Logging__LogLevel__Default"] = "Warning";
using var app = Process.Start(start)!;
var ready = new TaskCompletionSource();
app.OutputDataReceived += (_, e) => { if (e.Data?.Contains("Now listening", StringComparison.Ordinal) == true || e.Data?.Contains("Application started", StringComparison.Ordinal) == true) { ready.TrySetResult(); } };
app.ErrorDataReceived += (_, _) => { };
app.BeginOutputReadLine();
app.BeginErrorReadLine();
var exit = 1;
try
{
    using var http0 = new HttpClient { BaseAddress = new Uri(url) };
    for (var i = 0; i < 600 && !(await Up(http0)); i++)
    {
        await Task.Delay(100);
    }

    var store = RegistryStore.FromConnectionString(connection);
    var admin = new AdminService(store);
    var system = new Actor("load-test", Role.Admin);
    var site = admin.Sites(system).First(s => s.Code == "demo-north");
    var token = admin.IssueToken(system, site.Id, "load test").Token;
    var patients = new PatientService(store).List(system, new PatientFilter(site.Id, Take: patientCount)).Select(p => p.Id).ToArray();
    var initial = patients.ToDictionary(id => id, id => new PatientService(store).Get(system, id)!);
    var auditBefore = patients.ToDictionary(id => id, id => UpdateRows(store, initial[id].RegistryId));

    var acknowledged = new System.Collections.Concurrent.ConcurrentBag<(long Id, int Version, string? Ecog)>();
    var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
    long reads = 0, writes = 0, conflicts = 0, errors = 0;
    var until = DateTime.UtcNow.AddSeconds(seconds);
    var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients };
    using var http = new HttpClient(handler) { BaseAddress = new Uri(url) };
    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    var wall = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
    {
        var random = new Random(c);
        while (DateTime.UtcNow < until)
        {
            var id = patients[random.Next(patients.Length)];
            var sw = Stopwatch.StartNew();
            try
            {
                var current = await http.GetFromJsonAsync<PatientJson>($"/api/patients/{id}");
                latencies.Add(sw.Elapsed.TotalMilliseconds);
                Interlocked.Increment(ref reads);
                if (random.Next(4) == 0)
                {
                    sw.Restart();
                    _ = await http.GetStringAsync("/api/patients?take=50");
                    latencies.Add(sw.Elapsed.TotalMilliseconds);
                    Interlocked.Increment(ref reads);
                    continue;
                }

                var ecog = current!.Fields.GetValueOrDefault("ecog") is { } e && int.TryParse(e, out var v) ? ((v + 1) % 4).ToString(CultureInfo.InvariantCulture) : "0";
                var fields = new Dictionary<string, string?>(current.Fields) { ["ecog"] = ecog };
                sw.Restart();
                using var r = await http.PutAsJsonAsync($"/api/patients/{id}", new { version = current.Version, fields, procedures = current.Procedures, name = current.Name, recordNumber = current.RecordNumber });
                latencies.Add(sw.Elapsed.TotalMilliseconds);
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    var saved = (await r.Content.ReadFromJsonAsync<PatientJson>())!;
                    acknowledged.Add((id, saved.Version, ecog));
                    Interlocked.Increment(ref writes);
                }
                else if (r.StatusCode == HttpStatusCode.Conflict)
                {
                    Interlocked.Increment(ref conflicts);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref errors);
            }
        }
    }))).ConfigureAwait(false);
    wall.Stop();

    // The checks: nothing lost, nothing applied twice, one audit row per acknowledged change.
    var failures = new List<string>();
    foreach (var id in patients)
    {
        var mine = acknowledged.Where(a => a.Id == id).OrderBy(a => a.Version).ToList();
        var now = new PatientService(store).Get(system, id)!;
        if (now.Version - initial[id].Version != mine.Count)
        {
            failures.Add($"patient {id}: version rose by {now.Version - initial[id].Version}, acknowledged writes {mine.Count}");
        }

        if (mine.Select(m => m.Version).Distinct().Count() != mine.Count)
        {
            failures.Add($"patient {id}: two acknowledged writes got the same version");
        }

        if (mine.Count > 0 && now.Data.Patient.Ecog?.ToString(CultureInfo.InvariantCulture) != mine[^1].Ecog)
        {
            failures.Add($"patient {id}: stored ecog is not the last acknowledged write's");
        }

        var audit = UpdateRows(store, initial[id].RegistryId) - auditBefore[id];
        if (audit != mine.Count)
        {
            failures.Add($"patient {id}: {audit} audit rows for {mine.Count} acknowledged changes");
        }
    }

    var sorted = latencies.Order().ToArray();
    var total = reads + writes + conflicts + errors;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{store.Provider}, {clients} clients, {seconds} s, {patients.Length} patients: {total} requests ({reads} reads, {writes} writes, {conflicts} conflicts, {errors} errors), {total / wall.Elapsed.TotalSeconds:F0} requests/s, p50 {Pct(sorted, 0.50):F1} ms, p99 {Pct(sorted, 0.99):F1} ms"));
    foreach (var f in failures)
    {
        Console.WriteLine("FAILED: " + f);
    }

    Console.WriteLine(failures.Count == 0 && errors == 0 ? "OK: every acknowledged write is stored once, with one audit row each." : "FAILED");
    exit = failures.Count == 0 && errors == 0 ? 0 : 1;
}
finally
{
    app.Kill(entireProcessTree: true);
    await app.WaitForExitAsync();
    try
    {
        Directory.Delete(folder, recursive: true);
    }
    catch (IOException)
    {
    }
}

return exit;

static int UpdateRows(RegistryStore store, string registryId)
{
    using var db = store.CreateContext();
    return db.AuditEntries.Count(a => a.RecordId == registryId && a.Action == "update" && a.Field == "ecog");
}

static double Pct(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static async Task<bool> Up(HttpClient http)
{
    try
    {
        return (await http.GetAsync("/Account/Login")).IsSuccessStatusCode;
    }
    catch (HttpRequestException)
    {
        return false;
    }
}

static int FreePort()
{
    using var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    return ((IPEndPoint)l.LocalEndpoint).Port;
}

static Dictionary<string, string> Args(string[] args)
{
    var d = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        d[args[i].TrimStart('-')] = args[i + 1];
    }

    return d;
}
