using System.Globalization;
using System.Text;
using System.Text.Json;
using Sarcostat.Study.Results;

namespace Sarcostat.Study.Tests;

/// <summary>Text views of a report: a readable rendering (for eyes and failure messages) and a canonical JSON dump (for equality).</summary>
internal static class ReportDump
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Every field of the report, serialised by runtime type: two reports are equal when their dumps are.</summary>
    public static string Canonical(StudyReport report)
    {
        var sb = new StringBuilder();
        sb.AppendLine(JsonSerializer.Serialize(report.Provenance, Json));
        foreach (var w in report.Warnings)
        {
            sb.AppendLine(JsonSerializer.Serialize(w, Json));
        }

        foreach (var s in report.Sections)
        {
            sb.Append(s.Id).Append('|').AppendLine(s.Title);
            foreach (var item in s.Items)
            {
                sb.AppendLine(JsonSerializer.Serialize(item, item.GetType(), Json));
            }
        }

        return sb.ToString();
    }

    public static string Text(StudyReport report)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# " + report.Title);
        sb.AppendLine($"convention {report.Provenance.Convention}; " + string.Join("; ", report.Provenance.Methods.Select(m => m.Key + ": " + m.Value)));
        foreach (var s in report.Sections)
        {
            sb.AppendLine().AppendLine("## " + s.Title);
            foreach (var item in s.Items)
            {
                sb.AppendLine().AppendLine($"[{item.Id}] {item.Title}");
                switch (item)
                {
                    case TextItem t:
                        foreach (var p in t.Paragraphs)
                        {
                            sb.AppendLine(p);
                        }

                        break;
                    case TableItem t:
                        sb.AppendLine(string.Join(" | ", t.Columns));
                        foreach (var r in t.Rows)
                        {
                            sb.Append(new string(' ', 2 * r.Indent)).Append(r.IsHeading ? "*" : string.Empty)
                                .AppendLine(string.Join(" | ", r.Cells.Select(c => c.Text)));
                        }

                        foreach (var f in t.Footnotes)
                        {
                            sb.AppendLine("  note: " + f);
                        }

                        break;
                    case KaplanMeierFigure k:
                        sb.AppendLine($"x: {k.XLabel}; y: {k.YLabel}; ticks {string.Join(",", k.Ticks.Select(x => x.ToString(CultureInfo.InvariantCulture)))}; band {k.ShowConfidenceBand}; {k.Annotation}");
                        foreach (var c in k.Curves)
                        {
                            sb.AppendLine($"  {c.Label}: {c.Points.Count} points, {c.CensorTimes.Count} censor marks, at risk {string.Join(",", c.AtRisk)}");
                        }

                        sb.AppendLine("  caption: " + k.Caption);
                        break;
                    case FlowFigure f:
                        foreach (var b in f.Boxes)
                        {
                            sb.AppendLine($"  [{b.Text} (n = {b.Count})]" + (b.Excluded is { } e ? $" -> {e.Label} (n = {e.Count}) {string.Join(", ", e.Breakdown.Select(x => x.Key + " " + x.Value))}" : string.Empty));
                        }

                        sb.AppendLine("  caption: " + f.Caption);
                        break;
                    case ForestFigure f:
                        foreach (var r in f.Rows)
                        {
                            sb.AppendLine($"  {r.Label}: {r.Text}");
                        }

                        sb.AppendLine("  caption: " + f.Caption);
                        break;
                }
            }
        }

        sb.AppendLine().AppendLine("## Warnings");
        foreach (var w in report.Warnings)
        {
            sb.AppendLine($"- [{w.Code}] {w.Message}");
        }

        return sb.ToString();
    }
}
