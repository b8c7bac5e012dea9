package dev.capsule.runtime.view;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders a page's view as one self-contained HTML document: the stylesheet inline in one
 * {@code <style>}, images as {@code data:} URIs of package files, the navigation bar and tab bar as plain
 * elements, and no script at all.
 *
 * <p>Security guarantees: the document is written only through {@link Html}, whose element and
 * attribute names are a closed set without scripts, frames, event handlers or links, and which escapes
 * every text and attribute value; values come from a {@link ViewTree}, which checked them. Inline
 * styles are re-serialized from checked declarations, with {@code url()} replaced by {@code data:} URIs
 * of package images (or {@code none}). The sheet ({@code css}, the WXSS compiler's re-serialized output)
 * is refused if it contains {@code </style}. A Content-Security-Policy meta element
 * ({@link #CONTENT_SECURITY_POLICY}) forbids scripts, frames and any fetch but {@code data:} images, in
 * case anything slipped through.
 */
public final class HtmlRenderer {
    /** The CSS width, in px, that 750rpx spans when none is given. */
    public static final int WIDTH_DEFAULT = 375;
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'";
    /** The renderer's own rules, before the mini-program's sheet. */
    private static final String BASE_CSS = "html,body{margin:0;padding:0}[hidden]{display:none!important}"
            + "._capsule-navigation-bar{display:flex;align-items:center;justify-content:center;height:44px;font-weight:600}"
            + "._capsule-tab-bar{display:flex;justify-content:space-around;border-top:1px solid rgba(0,0,0,.1)}"
            + "._capsule-tab-item{display:flex;flex-direction:column;align-items:center;flex:1}"
            + "._capsule-tab-item img{width:24px;height:24px}"
            + "._capsule-badge{background:#fa5151;color:#fff;border-radius:8px;padding:0 4px;font-size:12px}"
            + "._capsule-view,._capsule-scroll-view,._capsule-swiper-item,._capsule-movable-area,._capsule-movable-view,._capsule-cover-view,._capsule-picker,._capsule-form{display:block}"
            + "._capsule-swiper{display:flex;overflow-x:auto}._capsule-swiper-item{flex:0 0 100%}._capsule-image{width:320px;height:240px}";

    private final int width;

    /** A renderer for a viewport {@code width} CSS px wide (750rpx = width). */
    public HtmlRenderer(int width) {
        if (width <= 0 || width > 10_000) {
            throw new IllegalArgumentException("width must be 1 to 10000 px, got " + width);
        }
        this.width = width;
    }

    /** The current tree rendered at {@link #WIDTH_DEFAULT}. */
    public static String render(ViewTree tree, String css, AssetSource assets) {
        return new HtmlRenderer(WIDTH_DEFAULT).render(tree.snapshot(), tree.urls(), css, assets);
    }

    /**
     * A whole HTML document for a snapshot.
     *
     * @param urls   the policy the snapshot's tree was checked with (which image references are package files)
     * @param css    the page's compiled stylesheet (app, page and components, already scoped)
     * @param assets package files, for images
     * @throws ViewOpException when {@code css} contains {@code </style}
     */
    public String render(ViewSnapshot snapshot, UrlPolicy urls, String css, AssetSource assets) {
        Objects.requireNonNull(css, "css");
        var context = new Context(urls, assets);
        Html head = Html.element("head")
                .child(Html.element("meta").attr("charset", "utf-8"))
                .child(Html.element("meta").attr("http-equiv", "Content-Security-Policy").attr("content", CONTENT_SECURITY_POLICY))
                .child(Html.element("meta").attr("name", "viewport").attr("content", "width=device-width, initial-scale=1"))
                .child(Html.element("title").text(snapshot.chrome(ChromeField.NAVIGATION_BAR_TITLE).orElse("")))
                .child(Html.style(BASE_CSS + "\n" + css + "\n"
                        // After the sheet, so it wins over the compiler's viewport-based --rpx: a static page has a fixed width.
                        + ":root,." + Builtins.typeClass(Builtins.PAGE_TAG) + "{--rpx:" + rpx() + "px}body{max-width:" + width + "px}"));
        Html body = Html.element("body");
        navigationBar(snapshot).ifPresent(body::child);
        body.child(Html.element("main").child(element(snapshot.root(), context)));
        tabBar(snapshot, context).ifPresent(body::child);
        var out = new StringBuilder("<!DOCTYPE html>");
        Html.element("html").child(head).child(body).write(out);
        return out.toString();
    }

    private String rpx() {
        return new BigDecimal(width).divide(new BigDecimal(750), 6, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    private record Context(UrlPolicy urls, AssetSource assets) {
        /** A package image as a data: URI; null for remote images and missing, oversized or non-image files. */
        String dataUri(UrlPolicy.Target target) {
            if (!(target instanceof UrlPolicy.Target.PackageAsset(String path))) {
                return null;
            }
            return assets.dataUri(path).filter(uri -> uri.startsWith("data:image/")).orElse(null);
        }

        /** The static document's form of the element mapping: data: images, readonly controls, data-* written. */
        ElementMapping.Form form() {
            return new ElementMapping.Form(this::dataUri, false, true);
        }

        String imageSource(String reference) {
            return ElementMapping.imageSource(reference, urls, form());
        }
    }

    private Html element(ViewNode.Element node, Context context) {
        ElementMapping.Mapped mapped = ElementMapping.map(node, context.urls(), context.form());
        Html html = Html.element(mapped.name());
        if (!mapped.classes().isEmpty()) {
            html.attr("class", String.join(" ", mapped.classes()));
        }
        mapped.attributes().forEach(html::attr);
        if (!mapped.style().isEmpty()) {
            var style = new StringBuilder();
            mapped.style().forEach((p, v) -> style.append(p).append(':').append(v).append(';'));
            html.attr("style", style.toString());
        }
        mapped.dataset().forEach(html::attr);
        if (mapped.content() != null) {
            html.text(mapped.content());
        } else {
            for (ViewNode child : node.children()) {
                switch (child) {
                    case ViewNode.Element e -> html.child(element(e, context));
                    case ViewNode.Text t -> html.text(ElementMapping.text(t.text(), node));
                }
            }
        }
        return html;
    }

    private Optional<Html> navigationBar(ViewSnapshot snapshot) {
        if (snapshot.chrome(ChromeField.NAVIGATION_BAR_HIDDEN).orElse("false").equals("true")) {
            return Optional.empty();
        }
        Html bar = Html.element("header").attr("class", "_capsule-navigation-bar");
        var style = new StringBuilder();
        snapshot.chrome(ChromeField.NAVIGATION_BAR_BACKGROUND_COLOR).ifPresent(c -> style.append("background-color:").append(c).append(';'));
        snapshot.chrome(ChromeField.NAVIGATION_BAR_FRONT_COLOR).ifPresent(c -> style.append("color:").append(c).append(';'));
        if (!style.isEmpty()) {
            bar.attr("style", style.toString());
        }
        if (snapshot.chrome(ChromeField.NAVIGATION_BAR_LOADING).orElse("false").equals("true")) {
            bar.attr("aria-busy", "true");
        }
        return Optional.of(bar.text(snapshot.chrome(ChromeField.NAVIGATION_BAR_TITLE).orElse("")));
    }

    private Optional<Html> tabBar(ViewSnapshot snapshot, Context context) {
        var texts = snapshot.chrome().getOrDefault(ChromeField.TAB_BAR_ITEM_TEXT, Map.of());
        var icons = snapshot.chrome().getOrDefault(ChromeField.TAB_BAR_ITEM_ICON, Map.of());
        if ((texts.isEmpty() && icons.isEmpty()) || snapshot.chrome(ChromeField.TAB_BAR_VISIBLE).orElse("true").equals("false")) {
            return Optional.empty();
        }
        Html bar = Html.element("nav").attr("class", "_capsule-tab-bar");
        var barStyle = new StringBuilder();
        snapshot.chrome(ChromeField.TAB_BAR_BACKGROUND_COLOR).ifPresent(c -> barStyle.append("background-color:").append(c).append(';'));
        snapshot.chrome(ChromeField.TAB_BAR_BORDER_STYLE).ifPresent(c -> barStyle.append("border-top-color:").append(c).append(';'));
        if (!barStyle.isEmpty()) {
            bar.attr("style", barStyle.toString());
        }
        int selected = Integer.parseInt(snapshot.chrome(ChromeField.TAB_BAR_SELECTED).orElse("0"));
        for (int i = 0; i < ChromeField.TAB_BAR_ITEMS_MAX; i++) {
            if (!texts.containsKey(i) && !icons.containsKey(i)) {
                continue;
            }
            boolean on = i == selected;
            Html item = Html.element("div").attr("class", on ? "_capsule-tab-item _capsule-tab-selected" : "_capsule-tab-item");
            snapshot.chrome(on ? ChromeField.TAB_BAR_SELECTED_COLOR : ChromeField.TAB_BAR_COLOR, 0)
                    .ifPresent(c -> item.attr("style", "color:" + c + ";"));
            String icon = on ? snapshot.chrome(ChromeField.TAB_BAR_ITEM_SELECTED_ICON, i).orElse(icons.get(i)) : icons.get(i);
            String src = context.imageSource(icon);
            if (src != null) {
                item.child(Html.element("img").attr("src", src).attr("alt", ""));
            }
            item.child(Html.element("span").text(texts.getOrDefault(i, "")));
            snapshot.chrome(ChromeField.TAB_BAR_ITEM_BADGE, i).ifPresent(b -> item.child(Html.element("span").attr("class", "_capsule-badge").text(b)));
            if (snapshot.chrome(ChromeField.TAB_BAR_ITEM_RED_DOT, i).orElse("false").equals("true")) {
                item.child(Html.element("span").attr("class", "_capsule-badge _capsule-red-dot"));
            }
            bar.child(item);
        }
        return Optional.of(bar);
    }

}
