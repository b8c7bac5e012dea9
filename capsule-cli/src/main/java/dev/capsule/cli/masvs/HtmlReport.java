package dev.capsule.cli.masvs;

import dev.capsule.cli.masvs.ReportDocument.Block;

/**
 * A {@link ReportDocument} as one self-contained HTML page.
 *
 * <p>Security guarantees: every text — the catalogue's, a test report's, the server's — is escaped ({@link #escape}),
 * so none becomes markup; the page has no script and a Content-Security-Policy that loads nothing
 * ({@value #CONTENT_SECURITY_POLICY}).
 */
public final class HtmlReport {
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'";
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
            h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1.05rem;margin-top:1.6rem}
            table{border-collapse:collapse;margin:.5rem 0;width:100%}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
            th{background:#f2f2f2}td{overflow-wrap:anywhere}""";

    private HtmlReport() {
    }

    public static String render(ReportDocument document) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(escape(CONTENT_SECURITY_POLICY)).append("\">")
                .append("<title>").append(escape(document.title())).append("</title><style>").append(STYLE).append("</style></head>\n<body>\n")
                .append("<h1>").append(escape(document.title())).append("</h1>\n");
        for (Block block : document.blocks()) {
            switch (block) {
                case ReportDocument.Heading h -> html.append(h.level() == 1 ? "<h2>" : "<h3>").append(escape(h.text()))
                        .append(h.level() == 1 ? "</h2>\n" : "</h3>\n");
                case ReportDocument.Paragraph p -> html.append("<p>").append(escape(p.text())).append("</p>\n");
                case ReportDocument.Labelled l -> html.append("<p><strong>").append(escape(l.label())).append(":</strong> ")
                        .append(escape(l.text())).append("</p>\n");
                case ReportDocument.Bullets b -> {
                    html.append("<ul>\n");
                    b.items().forEach(item -> html.append("<li>").append(escape(item)).append("</li>\n"));
                    html.append("</ul>\n");
                }
                case ReportDocument.Table t -> {
                    html.append("<table><thead><tr>");
                    t.columns().forEach(c -> html.append("<th>").append(escape(c)).append("</th>"));
                    html.append("</tr></thead><tbody>\n");
                    for (var row : t.rows()) {
                        html.append("<tr>");
                        row.forEach(cell -> html.append("<td>").append(escape(cell)).append("</td>"));
                        html.append("</tr>\n");
                    }
                    html.append("</tbody></table>\n");
                }
            }
        }
        return html.append("</body></html>\n").toString();
    }

    /** Text as HTML text or attribute value: {@code & < > " '} escaped, control characters other than tab and newline dropped. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c >= 0x20 && c != 0x7f || c == '\t' || c == '\n') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
