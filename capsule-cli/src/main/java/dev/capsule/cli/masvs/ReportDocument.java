package dev.capsule.cli.masvs;

import java.util.List;

/**
 * The report as a plain document — headings, paragraphs, lists and tables of text — which {@link HtmlReport} and
 * {@link PdfReport} both lay out. The report's content is decided once, here; a renderer only chooses fonts and
 * markup, so the HTML and the PDF cannot say different things.
 */
public record ReportDocument(String title, List<Block> blocks) {
    public ReportDocument {
        blocks = List.copyOf(blocks);
    }

    /** A part of the document. All text is plain text: renderers escape it. */
    public sealed interface Block {
    }

    /** A section heading; level 1 for a part, 2 for a control. */
    public record Heading(int level, String text) implements Block {
        public Heading {
            if (level < 1 || level > 2) {
                throw new IllegalArgumentException("heading level is 1 or 2");
            }
        }
    }

    public record Paragraph(String text) implements Block {
    }

    /** A paragraph with a bold label in front: "Status: met". */
    public record Labelled(String label, String text) implements Block {
    }

    public record Bullets(List<String> items) implements Block {
        public Bullets {
            items = List.copyOf(items);
        }
    }

    /** A table; every row has one cell per column. */
    public record Table(List<String> columns, List<List<String>> rows) implements Block {
        public Table {
            columns = List.copyOf(columns);
            rows = rows.stream().map(List::copyOf).toList();
            for (List<String> row : rows) {
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException("a row has " + row.size() + " cells for " + columns.size() + " columns");
                }
            }
        }
    }
}
