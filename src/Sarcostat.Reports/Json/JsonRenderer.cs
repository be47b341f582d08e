using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Json;

/// <summary>
/// Writes <c>results.json</c>: every table of the report with every cell's text and numbers at full precision, its
/// columns and footnotes, the provenance, the warnings and the figures' ids and titles (docs/reports.md, "results.json").
/// </summary>
/// <remarks>
/// <para>Layout: <c>{"format": "sarcostat-results", "formatVersion": 1, "title", "provenance": {...}, "warnings": [...],
/// "tables": [...], "figures": [...]}</c>. A table is <c>{"id", "title", "section", "columns": [...], "rows": [...],
/// "footnotes": [...]}</c>; a row is <c>{"indent", "isHeading", "cells": [...]}</c>, one cell per column as in the
/// report; a cell is <c>{"text"}</c> plus <c>"value"</c>, <c>"lower"</c>, <c>"upper"</c>, <c>"statistic"</c> and <c>"df"</c>
/// (the log-rank chi-square and its degrees of freedom on a univariate row's p cell) when the cell carries
/// them (a key is absent, never null, when it does not).</para>
/// <para>Numbers are written at full precision (the shortest text that reads back as the same double). JSON has no
/// infinity or NaN: a non-finite number is written as the string <c>"Inf"</c>, <c>"-Inf"</c> or <c>"NaN"</c> (an
/// unbounded confidence limit of an infinite hazard ratio is <c>"upper": "Inf"</c>).</para>
/// <para>The bytes depend only on the report (fixed key order, report order of tables, rows and figures, indented
/// with two spaces, line feeds, UTF-8 without a byte-order mark); non-ASCII text is written as is, control characters
/// are escaped.</para>
/// </remarks>
public static class JsonRenderer
{
    /// <summary>The value of the <c>formatVersion</c> key; raised when a key changes meaning or disappears.</summary>
    public const int FormatVersion = 1;

    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NewLine = "\n",
    };

    /// <summary>The JSON text of <paramref name="report"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    public static string Render(StudyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            Write(report, w);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Write(StudyReport report, Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("format", "sarcostat-results");
        w.WriteNumber("formatVersion", FormatVersion);
        w.WriteString("title", report.Title);

        var p = report.Provenance;
        w.WriteStartObject("provenance");
        w.WriteString("softwareVersion", p.SoftwareVersion);
        w.WriteString("protocolName", p.ProtocolName);
        w.WriteString("protocolSha256", p.ProtocolSha256);
        w.WriteString("generatedOn", p.GeneratedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        w.WriteString("convention", p.Convention);
        Pairs(w, "data", p.DataSha256, "file", "sha256");
        Pairs(w, "methods", p.Methods, "name", "value");
        w.WriteEndObject();

        w.WriteStartArray("warnings");
        foreach (var warning in report.Warnings)
        {
            w.WriteStartObject();
            w.WriteString("code", warning.Code);
            w.WriteString("message", warning.Message);
            if (warning.ItemId is { } item)
            {
                w.WriteString("itemId", item);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartArray("tables");
        foreach (var section in report.Sections)
        {
            foreach (var table in section.Items.OfType<TableItem>())
            {
                Table(w, table, section.Id);
            }
        }

        w.WriteEndArray();

        w.WriteStartArray("figures");
        foreach (var section in report.Sections)
        {
            foreach (var figure in section.Items.OfType<FigureItem>())
            {
                w.WriteStartObject();
                w.WriteString("id", figure.Id);
                w.WriteString("title", figure.Title);
                w.WriteString("section", section.Id);
                w.WriteString("kind", Kind(figure));
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Table(Utf8JsonWriter w, TableItem table, string section)
    {
        w.WriteStartObject();
        w.WriteString("id", table.Id);
        w.WriteString("title", table.Title);
        w.WriteString("section", section);
        Strings(w, "columns", table.Columns);
        w.WriteStartArray("rows");
        foreach (var row in table.Rows)
        {
            w.WriteStartObject();
            w.WriteNumber("indent", row.Indent);
            w.WriteBoolean("isHeading", row.IsHeading);
            w.WriteStartArray("cells");
            foreach (var cell in row.Cells)
            {
                w.WriteStartObject();
                w.WriteString("text", cell.Text);
                Number(w, "value", cell.Value);
                Number(w, "lower", cell.Lower);
                Number(w, "upper", cell.Upper);
                Number(w, "statistic", cell.Statistic);
                if (cell.DegreesOfFreedom is { } df)
                {
                    w.WriteNumber("df", df);
                }
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        Strings(w, "footnotes", table.Footnotes);
        if (table.Marks.Count > 0)
        {
            // Which cells each footnote letter is printed after (row -1: the column headings).
            w.WriteStartArray("footnoteMarks");
            foreach (var m in table.Marks)
            {
                w.WriteStartObject();
                w.WriteString("marker", table.MarkerOf(m.Footnote));
                w.WriteNumber("footnote", m.Footnote);
                w.WriteNumber("row", m.Row);
                w.WriteNumber("column", m.Column);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary>A number at full precision, or "Inf", "-Inf", "NaN" (JSON has no non-finite numbers); nothing when null.</summary>
    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        switch (value)
        {
            case null:
                return;
            case { } v when double.IsNaN(v):
                w.WriteString(name, "NaN");
                return;
            case { } v when double.IsPositiveInfinity(v):
                w.WriteString(name, "Inf");
                return;
            case { } v when double.IsNegativeInfinity(v):
                w.WriteString(name, "-Inf");
                return;
            case { } v:
                w.WriteNumber(name, v);
                return;
        }
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static void Pairs(Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, string>> pairs, string key, string value)
    {
        w.WriteStartArray(name);
        foreach (var pair in pairs)
        {
            w.WriteStartObject();
            w.WriteString(key, pair.Key);
            w.WriteString(value, pair.Value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static string Kind(FigureItem figure) => figure switch
    {
        KaplanMeierFigure => "kaplan-meier",
        ForestFigure => "forest",
        FlowFigure => "flow",
        ScatterFigure => "scatter",
        _ => "other",
    };
}
