package dev.capsule.cli.masvs;

import dev.capsule.cli.masvs.ReportDocument.Block;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * A {@link ReportDocument} as a PDF, laid out with Apache PDFBox: A4 pages, the standard Helvetica fonts, text wrapped
 * at word boundaries (and inside words too long for their column), tables as ruled rows that break across pages.
 *
 * <p>Security guarantees: text is drawn as text (a PDF has no markup to inject); a character the standard fonts cannot
 * show is drawn as {@code ?}, never dropped silently into something else; the document carries no script, form or link.
 */
public final class PdfReport {
    private static final PDRectangle PAGE = PDRectangle.A4;
    private static final float MARGIN = 48;
    private static final float WIDTH = PAGE.getWidth() - 2 * MARGIN;
    private static final float BODY_SIZE = 9;
    private static final float CELL_PADDING = 3;

    private final PDDocument pdf;
    private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private final Map<Character, Boolean> drawable = new HashMap<>();
    private PDPageContentStream page;
    private float y;

    private PdfReport(PDDocument pdf) {
        this.pdf = pdf;
    }

    /** Writes the document as a PDF to {@code out}. */
    public static void render(ReportDocument document, OutputStream out) throws IOException {
        try (PDDocument pdf = new PDDocument()) {
            PDDocumentInformation info = pdf.getDocumentInformation();
            info.setTitle(document.title());
            info.setCreator("capsule report masvs");
            PdfReport writer = new PdfReport(pdf);
            writer.newPage();
            writer.lines(document.title(), writer.bold, 16, 0, WIDTH, 8);
            for (Block block : document.blocks()) {
                writer.block(block);
            }
            writer.page.close();
            pdf.save(out);
        }
    }

    private void block(Block block) throws IOException {
        switch (block) {
            case ReportDocument.Heading h -> {
                float size = h.level() == 1 ? 13 : 11;
                space(size * 3);
                y -= h.level() == 1 ? 10 : 6;
                lines(h.text(), bold, size, 0, WIDTH, 4);
            }
            case ReportDocument.Paragraph p -> lines(p.text(), regular, BODY_SIZE, 0, WIDTH, 4);
            case ReportDocument.Labelled l -> {
                String label = l.label() + ": ";
                float labelWidth = width(label, bold, BODY_SIZE);
                space(leading(BODY_SIZE));
                text(label, bold, BODY_SIZE, MARGIN, y - BODY_SIZE);
                if (l.text().isEmpty()) {
                    y -= leading(BODY_SIZE) + 2;
                } else {
                    lines(l.text(), regular, BODY_SIZE, labelWidth, WIDTH - labelWidth, 4);
                }
            }
            case ReportDocument.Bullets b -> {
                for (String item : b.items()) {
                    space(leading(BODY_SIZE));
                    text("-", regular, BODY_SIZE, MARGIN + 4, y - BODY_SIZE);
                    lines(item, regular, BODY_SIZE, 14, WIDTH - 14, 2);
                }
                y -= 2;
            }
            case ReportDocument.Table t -> table(t);
        }
    }

    private void table(ReportDocument.Table table) throws IOException {
        float[] widths = columnWidths(table);
        y -= 2;
        row(table.columns(), widths, bold);
        for (List<String> row : table.rows()) {
            row(row, widths, regular);
        }
        y -= 6;
    }

    /** Column widths: the first column of a two-column table gets 40 %, of wider tables 36 %; the rest share evenly. */
    private static float[] columnWidths(ReportDocument.Table table) {
        int n = table.columns().size();
        float[] widths = new float[n];
        if (n == 1) {
            widths[0] = WIDTH;
            return widths;
        }
        float first = WIDTH * (n == 2 ? 0.40f : 0.36f);
        widths[0] = first;
        if (n == 5) {
            float[] share = {0.28f, 0.08f, 0.10f, 0.18f};
            for (int i = 1; i < n; i++) {
                widths[i] = WIDTH * share[i - 1];
            }
            return widths;
        }
        for (int i = 1; i < n; i++) {
            widths[i] = (WIDTH - first) / (n - 1);
        }
        return widths;
    }

    private void row(List<String> cells, float[] widths, PDType1Font font) throws IOException {
        List<List<String>> wrapped = new ArrayList<>();
        int lineCount = 1;
        for (int i = 0; i < cells.size(); i++) {
            List<String> lines = wrap(cells.get(i), font, BODY_SIZE, widths[i] - 2 * CELL_PADDING);
            wrapped.add(lines);
            lineCount = Math.max(lineCount, lines.size());
        }
        float height = lineCount * leading(BODY_SIZE) + 2 * CELL_PADDING;
        space(Math.min(height, PAGE.getHeight() - 2 * MARGIN));
        float x = MARGIN;
        for (float width : widths) {
            page.addRect(x, y - height, width, height);
            x += width;
        }
        page.setLineWidth(0.4f);
        page.stroke();
        x = MARGIN;
        for (int i = 0; i < cells.size(); i++) {
            float lineY = y - CELL_PADDING - BODY_SIZE;
            for (String line : wrapped.get(i)) {
                text(line, font, BODY_SIZE, x + CELL_PADDING, lineY);
                lineY -= leading(BODY_SIZE);
            }
            x += widths[i];
        }
        y -= height;
    }

    /** Wrapped text at {@code indent} from the margin, starting a new page whenever a line does not fit. */
    private void lines(String text, PDType1Font font, float size, float indent, float width, float after) throws IOException {
        for (String line : wrap(text, font, size, width)) {
            space(leading(size));
            text(line, font, size, MARGIN + indent, y - size);
            y -= leading(size);
        }
        y -= after;
    }

    private void text(String text, PDType1Font font, float size, float x, float baseline) throws IOException {
        if (text.isEmpty()) {
            return;
        }
        page.beginText();
        page.setFont(font, size);
        page.newLineAtOffset(x, baseline);
        page.showText(text);
        page.endText();
    }

    /** Lines of at most {@code width} points: breaks at spaces, and inside a word longer than a line. */
    private List<String> wrap(String text, PDType1Font font, float size, float width) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String paragraph : drawableText(text).split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.split(" ")) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (width(candidate, font, size) <= width) {
                    line.setLength(0);
                    line.append(candidate);
                    continue;
                }
                if (!line.isEmpty()) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                String rest = word;
                while (width(rest, font, size) > width) {
                    int cut = rest.length() - 1;
                    while (cut > 1 && width(rest.substring(0, cut), font, size) > width) {
                        cut--;
                    }
                    lines.add(rest.substring(0, cut));
                    rest = rest.substring(cut);
                }
                line.append(rest);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** The text with every character the standard fonts cannot draw replaced by {@code ?} (tabs become spaces). */
    private String drawableText(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append(c);
            } else if (c == '\t') {
                out.append(' ');
            } else {
                out.append(drawable.computeIfAbsent(c, this::canDraw) ? c : '?');
            }
        }
        return out.toString();
    }

    private boolean canDraw(char c) {
        if (c < 0x20 || Character.isSurrogate(c)) {
            return false;
        }
        try {
            regular.encode(String.valueOf(c));
            bold.encode(String.valueOf(c));
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static float width(String text, PDType1Font font, float size) throws IOException {
        return font.getStringWidth(text) / 1000 * size;
    }

    private static float leading(float size) {
        return size * 1.3f;
    }

    /** Starts a new page unless {@code height} points still fit above the bottom margin. */
    private void space(float height) throws IOException {
        if (y - height < MARGIN) {
            page.close();
            newPage();
        }
    }

    private void newPage() throws IOException {
        PDPage next = new PDPage(PAGE);
        pdf.addPage(next);
        page = new PDPageContentStream(pdf, next);
        y = PAGE.getHeight() - MARGIN;
    }
}
