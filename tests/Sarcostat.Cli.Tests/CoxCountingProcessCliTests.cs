using System.Text.Json;

namespace Sarcostat.Cli.Tests;

/// <summary>
/// <c>sarcostat cox --start --weights --cluster</c> end to end: the JSON equals R's golden values
/// (tools/reference/coxcp.R) on survival's heart data, and bad rows are located errors.
/// </summary>
public class CoxCountingProcessCliTests
{
    private static JsonElement GoldenCase(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Cli.Golden("coxcp_cases")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().First(c => c.GetProperty("name").GetString() == name).Clone();
    }

    private static double[] Numbers(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    private static void Close(double expected, JsonElement actual, string what)
    {
        double a = actual.GetDouble();
        Math.Abs(a - expected).Should().BeLessThanOrEqualTo(1e-6 * Math.Abs(expected), $"{what}: expected {expected:R}, actual {a:R}");
    }

    [Fact]
    public void Heart_clustered_on_patient_matches_coxph()
    {
        // R: coxph(Surv(start, stop, event) ~ age + transplant + surgery + cluster(id), data = heart)
        var r = Cli.Run("cox", Cli.Data("heart"), "--start", "start", "--time", "stop", "--event", "event",
            "--covariates", "age,transplant,surgery", "--cluster", "id", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        var fit = r.Json().GetProperty("countingProcess");
        var golden = GoldenCase("heart_cluster_efron");
        var terms = fit.GetProperty("terms").EnumerateArray().ToArray();
        foreach (var (field, json) in new[] { ("coef", "coef"), ("se", "stdError"), ("robust_se", "robustStdError"), ("z", "z"), ("p", "p"), ("lower", "lower"), ("upper", "upper") })
        {
            var expected = Numbers(golden.GetProperty(field));
            terms.Should().HaveCount(expected.Length);
            for (int j = 0; j < expected.Length; j++)
            {
                Close(expected[j], terms[j].GetProperty(json), $"{field}[{j}]");
            }
        }

        Close(golden.GetProperty("rscore").GetDouble(), fit.GetProperty("robustScore").GetProperty("statistic"), "robust score");
        Close(golden.GetProperty("waldtest").GetDouble(), fit.GetProperty("wald").GetProperty("statistic"), "robust Wald");
        fit.GetProperty("n").GetInt32().Should().Be(172);
        fit.GetProperty("clusters").GetInt32().Should().Be(103);

        var text = Cli.Run("cox", Cli.Data("heart"), "--start", "start", "--time", "stop", "--event", "event",
            "--covariates", "age,transplant,surgery", "--cluster", "id");
        text.ExitCode.Should().Be(0, text.Error);
        text.Out.Should().Contain("robust se").And.Contain("clustered on id (103 clusters)").And.Contain("Robust score test");
    }

    [Fact]
    public void Start_not_before_stop_and_bad_weights_are_located_errors()
    {
        using var dir = Cli.Temp();
        var file = Path.Combine(dir.Path, "cp.csv");
        File.WriteAllText(file, "id,start,stop,event,x,w\n1,0,5,1,1.5,1\n2,0,6,0,0.2,1\n3,4,4,1,0.7,1\n4,0,3,1,-0.4,0\n5,0,8,1,0.9,2\n");
        var r = Cli.Run("cox", file, "--start", "start", "--time", "stop", "--event", "event", "--covariates", "x", "--weights", "w", "--cluster", "id");
        r.ExitCode.Should().Be(1);
        r.Error.Should().Contain("row 4").And.Contain("[start-not-before-stop]");
        r.Error.Should().Contain("row 5").And.Contain("[weight-not-positive]");
        r.Error.Should().NotContain("   at ");
    }

    [Fact]
    public void A_start_merged_with_its_stop_by_the_time_fix_names_the_row()
    {
        using var dir = Cli.Temp();
        var file = Path.Combine(dir.Path, "cp.csv");
        File.WriteAllText(file, "id,start,stop,event,x\n1,0,5,1,1.5\n2,0,6,0,0.2\n3,4,4.000000000001,1,0.7\n4,0,3,1,-0.4\n");
        var r = Cli.Run("cox", file, "--start", "start", "--time", "stop", "--event", "event", "--covariates", "x");
        r.ExitCode.Should().Be(1);
        r.Error.Should().Contain("row 4").And.Contain("[cox-zero-length-interval]");
        Cli.Run("cox", file, "--start", "start", "--time", "stop", "--event", "event", "--covariates", "x", "--timefix", "exact").ExitCode.Should().Be(0);
    }

    [Fact]
    public void Counting_process_options_do_not_combine_with_model_checks()
    {
        var r = Cli.Run("cox", Cli.Data("heart"), "--start", "start", "--time", "stop", "--event", "event", "--covariates", "age", "--zph");
        r.ExitCode.Should().Be(2);
        r.Error.Should().Contain("--zph");
    }
}
