namespace Sarcostat.Reports.Html;

/// <summary>The report's inline stylesheet: journal tables (three rules), print rules for A4.</summary>
internal static class Stylesheet
{
    public const string Css = """
        :root { color-scheme: light; }
        html { background: #ffffff; }
        body { margin: 0; color: #111111; background: #ffffff; font-family: Arial, Helvetica, sans-serif; font-size: 15px; line-height: 1.45; }
        .report-header, .toc, main { max-width: 52rem; margin: 0 auto; padding: 0 1.5rem; }
        .report-header { padding-top: 1.5rem; }
        h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 0.8rem; }
        h2 { font-size: 1.25rem; margin: 2.2rem 0 0.8rem; padding-bottom: 0.2rem; border-bottom: 1px solid #999999; }
        h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
        a { color: #0b4f8a; }
        code { font-family: "Courier New", Courier, monospace; font-size: 0.78rem; overflow-wrap: anywhere; }
        dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0; padding: 0.7rem 0.9rem; font-size: 0.85rem; background: #f5f5f5; border-left: 3px solid #777777; }
        dl.provenance dt { font-weight: bold; }
        dl.provenance dt.method { font-weight: normal; font-style: italic; }
        dl.provenance dd { margin: 0; }
        .toc ol { margin: 0.2rem 0; padding-left: 1.4rem; }
        .toc > ol > li { margin: 0.2rem 0; }
        .toc ol ol { font-size: 0.9rem; list-style: none; padding-left: 1rem; }
        .text-block p { margin: 0.4rem 0; }
        .table-block { margin: 1.6rem 0; }
        .caption { margin: 0 0 0.4rem; font-weight: bold; }
        table.journal { width: 100%; border-collapse: collapse; border-top: 2px solid #000000; border-bottom: 2px solid #000000; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
        table.journal th { padding: 0.3rem 0.5rem; border-bottom: 1px solid #000000; font-weight: bold; text-align: center; vertical-align: bottom; }
        table.journal th:first-child { text-align: left; }
        table.journal td { padding: 0.12rem 0.5rem; text-align: center; vertical-align: top; }
        table.journal td.label { text-align: left; }
        table.journal tr:first-child td { padding-top: 0.3rem; }
        table.journal tr.group:not(:first-child) td { padding-top: 0.45rem; }
        table.journal tr:last-child td { padding-bottom: 0.3rem; }
        table.journal td.indent-1 { padding-left: 1.6rem; }
        table.journal td.indent-2 { padding-left: 2.7rem; }
        table.journal td.indent-3 { padding-left: 3.8rem; }
        table.journal td.indent-4 { padding-left: 4.9rem; }
        .table-notes { margin-top: 0.35rem; font-size: 0.75rem; }
        .table-notes p { margin: 0.1rem 0; }
        sup.fn { font-size: 0.7em; line-height: 0; }
        figure.report-figure { margin: 1.8rem 0; }
        figure.report-figure svg { display: block; width: 100%; max-width: 32rem; height: auto; }
        figure.forest svg { max-width: 46rem; }
        figure.flow svg { max-width: 36rem; }
        figcaption { margin-top: 0.5rem; font-size: 0.85rem; }
        .figure-title { font-weight: bold; }
        .item-warnings { margin: 0.2rem 0; font-size: 0.8rem; }
        a.warning-flag { display: inline-block; padding: 0 0.35rem; border: 1px solid #a05a00; border-radius: 0.2rem; color: #7a4400; text-decoration: none; }
        .warning-list li { margin: 0.3rem 0; }
        .warning-code { font-family: "Courier New", Courier, monospace; font-size: 0.8rem; padding: 0 0.25rem; background: #f3ead9; }
        .concerns { color: #444444; }
        @page { size: A4; margin: 18mm 16mm; }
        @media print {
          body { font-size: 10pt; }
          .report-header, .toc, main { max-width: none; padding: 0; }
          a { color: inherit; text-decoration: none; }
          dl.provenance { background: none; border-left: 1px solid #000000; }
          .toc { break-after: page; page-break-after: always; }
          h2, h3, .caption { break-after: avoid; page-break-after: avoid; }
          .table-block, figure.report-figure, .text-block p { break-inside: avoid; page-break-inside: avoid; }
          thead { display: table-header-group; }
          tr { break-inside: avoid; page-break-inside: avoid; }
          figure.report-figure svg { max-width: 85mm; }
          figure.forest svg { max-width: 100%; }
          figure.flow svg { max-width: 120mm; }
        }

        """;
}
