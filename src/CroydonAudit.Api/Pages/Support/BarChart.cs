using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace CroydonAudit.Api.Pages.Support;

/// <summary>
/// A horizontal bar chart as plain server-side SVG: one bar per row, each labelled with its value, so the chart
/// reads without colour; the SVG is an image with a title naming what it shows, and the page puts the same
/// figures in a table beside it for screen readers and for copying.
/// </summary>
public static class BarChart
{
    private const int Row = 28;
    private const int LabelWidth = 260;
    private const int BarWidth = 360;

    /// <summary>The chart of <paramref name="rows"/>, titled <paramref name="title"/>.</summary>
    public static IHtmlContent Svg(string id, string title, IReadOnlyList<(string Label, long Value)> rows)
    {
        var max = Math.Max(1, rows.Count == 0 ? 1 : rows.Max(r => r.Value));
        var height = Math.Max(1, rows.Count) * Row;
        var width = LabelWidth + BarWidth + 80;
        // On a narrow screen the chart keeps a width its labels can be read at, and scrolls in its own box.
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<div class=\"croydon-table-scroll\" role=\"region\" aria-label=\"{WebUtility.HtmlEncode(title)}\" tabindex=\"0\">");
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"croydon-chart\" role=\"img\" aria-labelledby=\"{id}-title\" viewBox=\"0 0 {width} {height}\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{WebUtility.HtmlEncode(title)}</title>");
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, value) = rows[i];
            var y = i * Row;
            var bar = (int)Math.Round(BarWidth * (double)value / max);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"{y + 19}\" text-anchor=\"end\">{WebUtility.HtmlEncode(label)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y + 5}\" width=\"{bar}\" height=\"{Row - 10}\"></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + bar + 6}\" y=\"{y + 19}\">{value.ToString("N0", CultureInfo.InvariantCulture)}</text>");
        }

        svg.Append("</svg></div>");
        return new HtmlString(svg.ToString());
    }
}
