using Sarcostat.Survival.CompetingRisks;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.CompetingRisks;

/// <summary>
/// Identities that hold whatever R says: the cumulative incidences of all causes add up to 1 − all-cause Kaplan-Meier;
/// row order changes nothing; a change of time unit changes neither Gray's test nor the Fine-Gray coefficients.
/// </summary>
public class CompetingRisksIdentityTests
{
    private static readonly CsvData Sim = CsvData.Load("cmprsk_sim");

    private static (double[] Time, Factor Status, Factor Group, double[] X1, double[] X2) Data(int[]? order = null, double scale = 1)
    {
        var time = Sim.Numeric("time");
        var status = Sim.Text("status");
        var group = Sim.Text("group");
        var x1 = Sim.Numeric("x1");
        var x2 = Sim.Numeric("x2");
        order ??= Enumerable.Range(0, time.Length).ToArray();
        return (order.Select(i => time[i] * scale).ToArray(), Factor.FromValues("status", order.Select(i => status[i]).ToArray()),
            Factor.FromValues("group", order.Select(i => group[i]).ToArray()), order.Select(i => x1[i]).ToArray(), order.Select(i => x2[i]).ToArray());
    }

    [Fact]
    public void Incidences_of_all_causes_add_up_to_one_minus_all_cause_Kaplan_Meier()
    {
        var (time, status, _, _, _) = Data();
        var fit = CumulativeIncidence.Estimate(time, status, "0");
        var km = Survival.Curves.KaplanMeier.Fit(time, status.Codes.Select(c => status.Levels[c] != "0").ToArray());
        double[] at = [0.05, 0.2, 0.5, 1, 1.5, 2, 3, 4];
        var s = km.At(at);
        for (int i = 0; i < at.Length; i++)
        {
            double sum = fit.Curves.Sum(c => c.At([at[i]])[0].Estimate);
            Approx.Equal(1 - s[i].Survival, sum, Approx.ClosedForm, $"sum of incidences at {at[i]}", 1e-15);
        }
    }

    [Fact]
    public void Row_order_and_time_unit_change_neither_Gray_test_nor_Fine_Gray()
    {
        var (time, status, group, x1, x2) = Data();
        var rnd = new Random(20261203);
        var order = Enumerable.Range(0, time.Length).OrderBy(_ => rnd.Next()).ToArray();
        var (time2, status2, group2, x12, x22) = Data(order, scale: 365.25);
        var a = CumulativeIncidence.Estimate(time, status, "0", group);
        var b = CumulativeIncidence.Estimate(time2, status2, "0", group2);
        for (int k = 0; k < a.Tests.Count; k++)
        {
            Approx.Equal(a.Tests[k].Statistic, b.Tests[k].Statistic, 1e-10, $"Gray statistic {a.Tests[k].Cause}");
        }

        for (int k = 0; k < a.Curves.Count; k++)
        {
            var pa = a.Curves[k].At([0.5, 1, 2]);
            var pb = b.Curves[k].At([0.5 * 365.25, 365.25, 2 * 365.25]);
            for (int i = 0; i < pa.Count; i++)
            {
                Approx.Equal(pa[i].Estimate, pb[i].Estimate, 1e-12, $"curve {k} point {i}", 1e-15);
                Approx.Equal(pa[i].Variance, pb[i].Variance, 1e-10, $"curve {k} variance {i}", 1e-15);
            }
        }

        var f = FineGray.Fit(time, status, "1", "0", [new NumericCovariate("x1", x1), new NumericCovariate("x2", x2), new CategoricalCovariate(group)]);
        var g = FineGray.Fit(time2, status2, "1", "0", [new NumericCovariate("x1", x12), new NumericCovariate("x2", x22), new CategoricalCovariate(group2)]);
        for (int j = 0; j < f.Terms.Count; j++)
        {
            Approx.Equal(f.Terms[j].Coef, g.Terms[j].Coef, 1e-9, $"coef {f.Terms[j].Term}");
            Approx.Equal(f.Terms[j].StdError, g.Terms[j].StdError, 1e-9, $"se {f.Terms[j].Term}");
        }

        Approx.Equal(f.LogLik, g.LogLik, 1e-10, "loglik");
        f.ToString().Should().Be("FineGrayFit(n=100, events=32, terms=4)");
        a.ToString().Should().Be("CumulativeIncidenceResult(n=100, causes=2, groups=3, tests=2)");
    }
}
