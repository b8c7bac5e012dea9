package dev.capsule.runtime.internal.view;

import dev.capsule.runtime.view.Builtin;
import dev.capsule.runtime.view.Builtins;
import dev.capsule.runtime.view.RichNode;
import dev.capsule.runtime.view.RichTextSanitizer;
import dev.capsule.runtime.view.StyleRules;
import dev.capsule.runtime.view.UrlPolicy;
import dev.capsule.runtime.view.ValueKind;
import dev.capsule.runtime.view.ViewOpException;
import dev.capsule.runtime.view.wxml.Binding;
import dev.capsule.runtime.view.wxml.ComponentDecl;
import dev.capsule.runtime.view.wxml.EvalLimitException;
import dev.capsule.runtime.view.wxml.Expr;
import dev.capsule.runtime.view.wxml.Interpreter;
import dev.capsule.runtime.view.wxml.JsValues;
import dev.capsule.runtime.view.wxml.ResolvedTemplate;
import dev.capsule.runtime.view.wxml.Scope;
import dev.capsule.runtime.view.wxml.StyleIsolation;
import dev.capsule.runtime.view.wxml.TAttr;
import dev.capsule.runtime.view.wxml.TBlock;
import dev.capsule.runtime.view.wxml.TElement;
import dev.capsule.runtime.view.wxml.TEventBinding;
import dev.capsule.runtime.view.wxml.TFor;
import dev.capsule.runtime.view.wxml.TIf;
import dev.capsule.runtime.view.wxml.TInclude;
import dev.capsule.runtime.view.wxml.TKey;
import dev.capsule.runtime.view.wxml.TNode;
import dev.capsule.runtime.view.wxml.TSlot;
import dev.capsule.runtime.view.wxml.TTemplateUse;
import dev.capsule.runtime.view.wxml.TText;
import dev.capsule.runtime.view.wxml.WxsCaller;
import dev.capsule.runtime.view.wxss.StyleSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Template instantiation with reconciliation: renders an instance's template with its data over the
 * virtual nodes of its previous render, reusing a node wherever the same template node produced the
 * same kind of thing (same tag, same if-branch, same template, same {@code wx:for} key), so view node
 * ids stay stable and the {@link OpWriter} sends only what changed. Components met on the way are
 * created (and rendered) or given their changed properties.
 */
final class Renderer {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Attributes a custom component's host handles itself (not properties). */
    private static final Set<String> HOST_SPECIAL = Set.of("slot", "hidden");

    private static final String RICH_TEXT = "rich-text";

    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");

    private final ViewEngine.Env env;
    private final Lifecycle lifecycle;
    private final FreeNames freeNames;
    private final RichTextSanitizer richText;

    /** Where an expression is: the instance whose template it is, the file (templates, WXS, relative paths). */
    private record Ctx(Instance owner, ResolvedTemplate file, WxsCaller wxs, int templateDepth) {
    }

    Renderer(ViewEngine.Env env, Lifecycle lifecycle) {
        this.env = env;
        this.lifecycle = lifecycle;
        this.freeNames = new FreeNames(env.templates);
        this.richText = new RichTextSanitizer(env.urls);
    }

    /** Renders one instance's template with its current data over its previous render. */
    void render(Instance inst) {
        if (env.rendersLeft-- <= 0) {
            throw new ViewRenderException(env.where(inst) + ": more than " + ViewEngine.RENDERS_PER_FLUSH_MAX
                    + " renders in one flush, an observer that keeps setting data? (ViewEngine.RENDERS_PER_FLUSH_MAX)");
        }
        JsonNode data = inst.data != null ? inst.data : env.host.data(inst.id);
        inst.data = data;
        inst.dirty = false;
        inst.page.changed = true;
        if (inst.template == null) {
            return;
        }
        WxsCaller wxs = env.host.wxs(inst.template.path());
        Ctx ctx = new Ctx(inst, inst.template, wxs, 0);
        Scope scope = DataScope.root(data, inst.pureData, wxs);
        try {
            inst.children = list(inst.template.children(), scope, inst.children, null, ctx);
        } catch (EvalLimitException e) {
            throw new ViewRenderException(env.where(inst) + ": " + e.getMessage());
        }
    }

    private List<VNode> list(List<TNode> ts, Scope s, List<VNode> old, VNode parent, Ctx c) {
        List<VNode> out = new ArrayList<>(ts.size());
        for (int i = 0; i < ts.size(); i++) {
            out.add(node(ts.get(i), s, i < old.size() ? old.get(i) : null, parent, c));
        }
        for (int i = ts.size(); i < old.size(); i++) {
            discard(old.get(i));
        }
        return out;
    }

    private VNode node(TNode t, Scope s, VNode old, VNode parent, Ctx c) {
        VNode n = switch (t) {
            case TText x -> text(x, s, old, c);
            case TElement e -> element(e, s, old, c);
            case TIf f -> ifChain(f, s, old, c);
            case TFor f -> loop(f, s, old, c);
            case TBlock b -> {
                VNode.Frag frag = reuseFrag(old, "block", c);
                frag.children = list(b.children(), s, frag.children, frag, c);
                yield frag;
            }
            case TTemplateUse u -> templateUse(u, s, old, c);
            case TInclude i -> include(i, s, old, c);
            case TSlot sl -> {
                VNode.Slot slot = old instanceof VNode.Slot os ? os : replace(old, new VNode.Slot(c.owner()));
                slot.name = text(sl.name(), s);
                yield slot;
            }
        };
        n.parent = parent;
        return n;
    }

    private <T extends VNode> T replace(VNode old, T fresh) {
        if (old != null) {
            discard(old);
        }
        return fresh;
    }

    private VNode.Frag reuseFrag(VNode old, Object identity, Ctx c) {
        if (old instanceof VNode.Frag f && Objects.equals(f.identity, identity)) {
            return f;
        }
        return replace(old, new VNode.Frag(c.owner(), identity));
    }

    private VNode.Text text(TText t, Scope s, VNode old, Ctx c) {
        VNode.Text node;
        if (old instanceof VNode.Text o) {
            node = o;
        } else {
            node = replace(old, new VNode.Text(c.owner()));
            counted(c.owner());
        }
        node.text = text(t.text(), s);
        return node;
    }

    private void counted(Instance owner) {
        PageView page = owner.page;
        if (++page.virtualNodes > env.limits.nodesPerPageMax()) {
            throw new ViewRenderException(env.where(owner) + ": more than " + env.limits.nodesPerPageMax()
                    + " nodes on the page (ViewLimits.nodesPerPageMax)");
        }
    }

    private VNode ifChain(TIf f, Scope s, VNode old, Ctx c) {
        int branch = -1;
        for (int i = 0; i < f.branches().size(); i++) {
            Expr cond = f.branches().get(i).cond();
            if (cond == null || JsValues.truthy(Interpreter.eval(cond, s))) {
                branch = i;
                break;
            }
        }
        VNode.Frag frag = reuseFrag(old, "if:" + branch, c);
        List<TNode> body = branch < 0 ? List.of() : f.branches().get(branch).body();
        frag.children = list(body, s, frag.children, frag, c);
        return frag;
    }

    private VNode loop(TFor f, Scope s, VNode old, Ctx c) {
        VNode.Frag frag = reuseFrag(old, "for", c);
        List<Map.Entry<JsonNode, JsonNode>> items = items(Interpreter.eval(f.items(), s), c);
        // Old items by key (keyed) or by position (unkeyed); a duplicate key is not reused twice.
        Map<Object, VNode.Frag> byKey = new HashMap<>();
        for (VNode child : frag.children) {
            VNode.Frag item = (VNode.Frag) child;
            byKey.putIfAbsent(item.identity, item);
        }
        List<VNode> next = new ArrayList<>(items.size());
        List<Integer> oldPositions = new ArrayList<>(items.size());
        Map<VNode.Frag, Integer> oldIndex = new java.util.IdentityHashMap<>();
        for (int i = 0; i < frag.children.size(); i++) {
            oldIndex.put((VNode.Frag) frag.children.get(i), i);
        }
        Set<Object> seen = new java.util.HashSet<>();
        // An item whose value, index (when used) and every other name its body reads are unchanged renders
        // the same: it is kept as it is, so a one-item change costs one item's render, not the list's.
        FreeNames.Names names = freeNames.of(f);
        List<JsonNode> outer = new ArrayList<>(names.outer().size());
        for (String name : names.outer()) {
            outer.add(s.lookup(name));
        }
        boolean outerSame = outer.equals(frag.renderedOuter) && c.owner().externalClasses.equals(frag.renderedClasses);
        frag.renderedOuter = outer;
        frag.renderedClasses = c.owner().externalClasses;
        for (int i = 0; i < items.size(); i++) {
            JsonNode index = items.get(i).getKey();
            JsonNode item = items.get(i).getValue();
            Object key = f.key() == null ? (Object) i : keyOf(f.key(), item);
            VNode.Frag reused = seen.add(key) ? byKey.remove(key) : null;
            VNode.Frag itemFrag = reused != null ? reused : new VNode.Frag(c.owner(), key);
            boolean same = reused != null && outerSame && item.equals(reused.renderedItem)
                    && (!names.usesIndex() || index.equals(reused.renderedIndex));
            if (!same) {
                Map<String, JsonNode> vars = new HashMap<>(4);
                vars.put(f.index(), index);
                vars.put(f.item(), item);
                Scope itemScope = s.with(vars);
                itemFrag.children = list(f.body(), itemScope, itemFrag.children, itemFrag, c);
                itemFrag.renderedItem = item;
                itemFrag.renderedIndex = index;
            }
            itemFrag.parent = frag;
            next.add(itemFrag);
            oldPositions.add(reused == null ? -1 : oldIndex.get(reused));
        }
        for (VNode.Frag left : byKey.values()) {
            discard(left);
        }
        // Reused items that changed order: their components are told they MOVED.
        if (f.key() != null) {
            boolean[] stays = Lis.stable(oldPositions);
            for (int i = 0; i < next.size(); i++) {
                if (oldPositions.get(i) >= 0 && !stays[i]) {
                    lifecycle.moved(next.get(i));
                }
            }
        }
        frag.children = next;
        return frag;
    }

    private static Object keyOf(TKey key, JsonNode item) {
        JsonNode v = switch (key) {
            case TKey.Self self -> item;
            case TKey.Field field -> item.isObject() ? Optional.ofNullable(item.get(field.name())).orElse(MissingNode.getInstance())
                    : MissingNode.getInstance();
        };
        // WeChat compares keys as strings; "k:" keeps them apart from unkeyed positions.
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return "k:" + v.longValue(); // the common id: JavaScript prints an integer as Long does
        }
        return "k:" + (v.isContainer() ? v.toString() : JsValues.toJsString(v));
    }

    /** What {@code wx:for} iterates, as WeChat: array items, object values by key, string characters, 0..n-1. */
    private List<Map.Entry<JsonNode, JsonNode>> items(JsonNode list, Ctx c) {
        List<Map.Entry<JsonNode, JsonNode>> out = new ArrayList<>();
        if (list.isArray()) {
            check(list.size(), c);
            for (int i = 0; i < list.size(); i++) {
                out.add(Map.entry(NODES.numberNode(i), list.get(i)));
            }
        } else if (list.isObject()) {
            check(list.size(), c);
            for (Map.Entry<String, JsonNode> e : list.properties()) {
                out.add(Map.entry(NODES.stringNode(e.getKey()), e.getValue()));
            }
        } else if (list.isString()) {
            String text = list.stringValue();
            check(text.length(), c);
            for (int i = 0; i < text.length(); i++) {
                out.add(Map.entry(NODES.numberNode(i), NODES.stringNode(String.valueOf(text.charAt(i)))));
            }
        } else if (list.isNumber()) {
            double n = list.doubleValue();
            if (n > ViewEngine.FOR_ITEMS_MAX || Double.isNaN(n)) {
                check(n > ViewEngine.FOR_ITEMS_MAX ? Integer.MAX_VALUE : 0, c);
            }
            for (int i = 0; i < n; i++) {
                out.add(Map.entry(NODES.numberNode(i), NODES.numberNode(i)));
            }
        }
        return out;
    }

    private void check(int items, Ctx c) {
        if (items > ViewEngine.FOR_ITEMS_MAX) {
            throw new ViewRenderException(env.where(c.owner()) + ": a wx:for over more than " + ViewEngine.FOR_ITEMS_MAX
                    + " items (ViewEngine.FOR_ITEMS_MAX)");
        }
    }

    private VNode templateUse(TTemplateUse u, Scope s, VNode old, Ctx c) {
        String name = text(u.is(), s);
        ResolvedTemplate.VisibleTemplate visible = c.file().templates().get(name);
        if (visible == null) {
            // WeChat renders nothing for an unknown template (and warns in its tools).
            VNode.Frag frag = reuseFrag(old, "template:?", c);
            frag.children = list(List.of(), s, frag.children, frag, c);
            return frag;
        }
        int depth = c.templateDepth() + 1;
        if (depth > ViewEngine.TEMPLATE_DEPTH_MAX) {
            throw new ViewRenderException(env.where(c.owner()) + ": template " + name + " nested more than "
                    + ViewEngine.TEMPLATE_DEPTH_MAX + " deep (ViewEngine.TEMPLATE_DEPTH_MAX)");
        }
        ResolvedTemplate file = visible.file().equals(c.file().path()) ? c.file()
                : env.templates.page(visible.file()).orElse(c.file());
        WxsCaller wxs = file == c.file() ? c.wxs() : env.host.wxs(file.path());
        JsonNode data = u.data() == null ? NODES.objectNode() : Interpreter.eval(u.data(), s);
        Scope scope = DataScope.root(data, null, wxs);
        VNode.Frag frag = reuseFrag(old, "template:" + visible.file() + "#" + name, c);
        frag.children = list(visible.def().children(), scope, frag.children, frag, new Ctx(c.owner(), file, wxs, depth));
        return frag;
    }

    private VNode include(TInclude i, Scope s, VNode old, Ctx c) {
        VNode.Frag frag = reuseFrag(old, "include:" + i.path(), c);
        Optional<ResolvedTemplate> file = env.templates.page(i.path());
        int depth = c.templateDepth() + 1;
        if (depth > ViewEngine.TEMPLATE_DEPTH_MAX) {
            throw new ViewRenderException(env.where(c.owner()) + ": include of " + i.path() + " nested more than "
                    + ViewEngine.TEMPLATE_DEPTH_MAX + " deep (ViewEngine.TEMPLATE_DEPTH_MAX)");
        }
        List<TNode> body = file.map(ResolvedTemplate::children).orElse(List.of());
        // An included file's content renders in the includer's data scope (WeChat copies it in).
        Ctx ctx = file.map(f -> new Ctx(c.owner(), f, c.wxs(), depth)).orElse(c);
        frag.children = list(body, s, frag.children, frag, ctx);
        return frag;
    }

    // ---- elements

    private VNode element(TElement e, Scope s, VNode old, Ctx c) {
        Instance owner = c.owner();
        String componentPath = env.components.resolveTag(owner.path, e.tag()).orElse(null);
        if (componentPath == null) {
            componentPath = owner.generics.get(e.tag()); // componentGenerics: what the owner's host chose
        }
        String tag = componentPath != null || !Builtins.isBuiltin(e.tag()) ? hostTag(e.tag()) : e.tag();
        VNode.Elem node;
        if (old instanceof VNode.Elem o && o.tag.equals(tag) && Objects.equals(o.componentPath, componentPath)) {
            node = o;
        } else {
            node = replace(old, new VNode.Elem(owner, tag, componentPath));
            counted(owner);
        }
        node.elementId = e.id() == null ? "" : text(e.id(), s);
        List<String> written = new ArrayList<>();
        List<String> classes = classes(e, s, owner, componentPath, written);
        node.writtenClasses = written;
        Map<String, String> styles = animated(e, s, e.style() == null ? Map.of() : styles(text(e.style(), s)));
        Map<String, String> dataset = new LinkedHashMap<>();
        Map<String, JsonNode> datasetValues = new LinkedHashMap<>();
        for (Map.Entry<String, Binding> d : e.dataset().entrySet()) {
            JsonNode v = value(d.getValue(), s);
            datasetValues.put(d.getKey(), v);
            dataset.put(d.getKey(), JsValues.toText(v));
        }
        node.datasetValues = datasetValues;
        if (!classes.equals(node.classes) || !styles.equals(node.styles) || !dataset.equals(node.dataset)) {
            node.classes = classes;
            node.styles = styles;
            node.dataset = dataset;
            node.dirty = true;
        }
        Map<String, JsonNode> marks = new LinkedHashMap<>();
        e.marks().forEach((k, b) -> marks.put(k, value(b, s)));
        node.marks = marks;
        List<VNode.Listener> listeners = new ArrayList<>(e.events().size());
        for (TEventBinding b : e.events()) {
            listeners.add(new VNode.Listener(b.event(), b.kind(), text(b.handler(), s)));
        }
        node.listeners = listeners;
        Map<String, String> attrs = attributes(e, s, tag, componentPath != null, node, c);
        if (!attrs.equals(node.attrs)) {
            node.attrs = attrs;
            node.dirty = true;
        }
        if (componentPath != null) {
            component(node, e, s, c, componentPath);
        }
        if (componentPath == null && tag.equals(RICH_TEXT)) {
            node.children = richText(e, s, node, c); // its template children are ignored, as WeChat does
        } else {
            node.children = list(e.children(), s, node.children, node, c);
        }
        return node;
    }

    // ---- rich-text

    /**
     * A {@code rich-text}'s {@code nodes} (a node list or an HTML string) as its children: only what the
     * {@link RichTextSanitizer} lets through, as elements and texts like any other, so they are diffed (by
     * position) and sent through the ordinary ops. Classes get the owner's scopes, as the element's own do.
     */
    private List<VNode> richText(TElement e, Scope s, VNode.Elem node, Ctx c) {
        JsonNode nodes = MissingNode.getInstance();
        for (TAttr a : e.attrs()) {
            if (a.name().equals("nodes")) {
                nodes = value(a.value(), s);
            }
        }
        List<RichNode> rich;
        try {
            rich = richText.sanitize(nodes);
        } catch (ViewOpException breach) {
            throw new ViewRenderException(env.where(c.owner()) + ": rich-text nodes: " + breach.getMessage());
        }
        return rich(rich, node.children, node, c.owner());
    }

    private List<VNode> rich(List<RichNode> nodes, List<VNode> old, VNode.Elem parent, Instance owner) {
        List<VNode> out = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            VNode before = i < old.size() ? old.get(i) : null;
            VNode n = switch (nodes.get(i)) {
                case RichNode.Text t -> {
                    VNode.Text text;
                    if (before instanceof VNode.Text o) {
                        text = o;
                    } else {
                        text = replace(before, new VNode.Text(owner));
                        counted(owner);
                    }
                    text.text = t.text();
                    yield text;
                }
                case RichNode.Element r -> {
                    VNode.Elem el;
                    if (before instanceof VNode.Elem o && o.tag.equals(r.tag())) {
                        el = o;
                    } else {
                        el = replace(before, new VNode.Elem(owner, r.tag(), null));
                        counted(owner);
                    }
                    LinkedHashSet<String> classes = new LinkedHashSet<>();
                    for (String token : r.classes()) {
                        if (ClassTokens.valid(token)) {
                            classes.add(token);
                        }
                    }
                    classes.addAll(owner.scopes());
                    List<String> classList = List.copyOf(classes);
                    if (!r.attributes().equals(el.attrs) || !classList.equals(el.classes) || !r.style().equals(el.styles)) {
                        el.attrs = r.attributes();
                        el.classes = classList;
                        el.styles = r.style();
                        el.dirty = true;
                    }
                    el.children = rich(r.children(), el.children, el, owner);
                    yield el;
                }
            };
            n.parent = parent;
            out.add(n);
        }
        for (int i = nodes.size(); i < old.size(); i++) {
            discard(old.get(i));
        }
        return out;
    }

    private static String hostTag(String tag) {
        String lower = tag.toLowerCase(java.util.Locale.ROOT);
        return Builtins.CUSTOM_TAG.matcher(lower).matches() ? lower : "wx-component";
    }

    /** Allowlisted attributes with checked values; anything refused is dropped (pack warns about it). */
    private Map<String, String> attributes(TElement e, Scope s, String tag, boolean host, VNode.Elem node, Ctx c) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!node.elementId.isEmpty()) {
            put(out, tag, "id", node.elementId);
        }
        node.slotName = "";
        for (TAttr a : e.attrs()) {
            String name = a.name();
            if (name.equals("slot")) {
                node.slotName = text(a.value(), s);
                continue;
            }
            if (host && !HOST_SPECIAL.contains(name)) {
                continue; // properties and external classes, handled by component()
            }
            Optional<Builtin.Attribute> rule = Builtins.attribute(tag, name);
            if (rule.isEmpty()) {
                continue;
            }
            JsonNode v = value(a.value(), s);
            if (name.equals("animation") && AnimationStyles.isExport(v)) {
                continue; // styles, by animated()
            }
            String text = switch (rule.get().kind()) {
                case BOOLEAN -> JsValues.truthy(v) ? "true" : "false";
                // A string that is not JSON text itself (a date picker's "2026-12-07") travels as a JSON string.
                case JSON -> v.isContainer() || v.isString() && ValueKind.JSON.check(v.stringValue(), List.of(), null).isPresent()
                        ? v.toString() : JsValues.toText(v);
                case IMAGE -> UrlPolicy.resolve(c.file().path() + ".wxml", JsValues.toText(v)).orElse(null);
                default -> JsValues.toText(v);
            };
            if (text == null || rule.get().kind() == ValueKind.BOOLEAN && text.equals("false")) {
                continue; // an unresolvable image is no image; an unset boolean is the default
            }
            put(out, tag, name, text);
        }
        return out;
    }

    private void put(Map<String, String> out, String tag, String name, String value) {
        if (Builtins.checkAttribute(tag, name, value, env.urls).isEmpty()) {
            out.put(name, value);
        }
    }

    private List<String> classes(TElement e, Scope s, Instance owner, String componentPath, List<String> written) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        String text = e.cls() == null ? "" : text(e.cls().value(), s);
        for (String token : SPACES.split(text.trim())) {
            if (!ClassTokens.valid(token)) {
                continue;
            }
            written.add(token);
            List<String> external = owner.externalClasses.get(token);
            if (external != null) {
                out.addAll(external);
            } else {
                out.add(token);
            }
        }
        if (componentPath != null) {
            out.add(StyleSet.hostClass(componentPath));
        } else if (Builtins.isBuiltin(e.tag())) {
            out.add(Builtins.typeClass(e.tag()));
        }
        out.addAll(owner.scopes());
        return List.copyOf(out);
    }

    /**
     * An {@code animation} attribute bound to an Animation's export(): its end state and transitions
     * ({@link AnimationStyles}) over the inline style, each declaration through the backend's checks.
     */
    private Map<String, String> animated(TElement e, Scope s, Map<String, String> styles) {
        for (TAttr a : e.attrs()) {
            if (a.name().equals("animation")) {
                JsonNode v = value(a.value(), s);
                if (AnimationStyles.isExport(v)) {
                    Map<String, String> out = new LinkedHashMap<>(styles);
                    AnimationStyles.styles(v).forEach((p, value) -> {
                        if (StyleRules.check(p, value, env.urls).isEmpty()) {
                            out.put(p, value);
                        }
                    });
                    return out;
                }
            }
        }
        return styles;
    }

    /** Inline style declarations that pass the backend's checks; others are dropped. */
    private Map<String, String> styles(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> d : StyleRules.declarations(text).entrySet()) {
            if (StyleRules.check(d.getKey(), d.getValue(), env.urls).isEmpty()) {
                out.put(d.getKey(), d.getValue());
            }
        }
        return out;
    }

    // ---- components

    private void component(VNode.Elem node, TElement e, Scope s, Ctx c, String path) {
        Instance parent = c.owner();
        ComponentInfo info = env.describe(path);
        ObjectNode props = NODES.objectNode();
        Map<String, List<String>> external = new HashMap<>();
        Map<String, String> generics = generics(path, e, parent);
        for (TAttr a : e.attrs()) {
            if (info.externalClasses().contains(a.name())) {
                List<String> mapped = new ArrayList<>();
                for (String token : SPACES.split(text(a.value(), s).trim())) {
                    if (ClassTokens.valid(token)) {
                        mapped.add(token);
                    }
                }
                mapped.addAll(parent.scopes());
                external.put(a.name(), List.copyOf(mapped));
                continue;
            }
            ComponentInfo.Property p = info.properties().get(Properties.camel(a.name()));
            if (p != null) {
                props.set(p.name(), Properties.normalize(p, value(a.value(), s)));
            }
        }
        // this.id and this.dataset: the host element's, undefined data-* values left out as an event's dataset does
        ObjectNode dataset = NODES.objectNode();
        node.datasetValues.forEach((k, v) -> {
            if (!v.isMissingNode()) {
                dataset.set(k, v.deepCopy());
            }
        });
        if (node.component == null) {
            if (parent.depth + 1 > ViewEngine.COMPONENT_DEPTH_MAX) {
                throw new ViewRenderException(env.where(parent) + ": components nested more than "
                        + ViewEngine.COMPONENT_DEPTH_MAX + " deep (ViewEngine.COMPONENT_DEPTH_MAX)");
            }
            InstanceId id = env.host.create(path, parent.id, props.deepCopy(), node.elementId, dataset.deepCopy());
            StyleIsolation isolation = isolation(path, info);
            Instance child = new Instance(id, path, parent.page, node, info, env.templates.page(path).orElse(null),
                    scopeClasses(path, isolation, parent.page), parent.depth + 1);
            child.takesShared = isolation != StyleIsolation.ISOLATED && isolation != StyleIsolation.PAGE_ISOLATED;
            if (isolation == StyleIsolation.SHARED) {
                shareScope(parent.page, StyleSet.scopeClass(path));
            }
            child.properties = props;
            child.hostId = node.elementId;
            child.hostDataset = dataset;
            child.externalClasses = Map.copyOf(external);
            child.generics = generics;
            node.component = child;
            lifecycle.created(child);
            render(child);
        } else {
            Instance child = node.component;
            if (!child.hostId.equals(node.elementId) || !dataset.equals(child.hostDataset)) {
                child.hostId = node.elementId;
                child.hostDataset = dataset;
                env.host.hostAttributes(child.id, node.elementId, dataset.deepCopy());
            }
            if (!child.externalClasses.equals(external)) {
                child.externalClasses = Map.copyOf(external);
                child.dirty = true;
            }
            ObjectNode changes = NODES.objectNode();
            for (Map.Entry<String, JsonNode> p : props.properties()) {
                JsonNode before = child.properties.get(p.getKey());
                if (before == null || !before.equals(p.getValue())) {
                    changes.set(p.getKey(), p.getValue());
                }
            }
            if (!changes.isEmpty()) {
                child.properties = props;
                child.data = null; // read again: the properties (and what observers set) changed it
                child.dirty = true;
                env.host.setProperties(child.id, changes);
            }
        }
    }

    /**
     * {@code componentGenerics}: each generic the component declares, resolved from the host's
     * {@code generic:name="tag"} (a tag of the owner's {@code usingComponents}) or its default.
     * A host's choice is fixed when the component is created, as in WeChat.
     */
    private Map<String, String> generics(String path, TElement e, Instance parent) {
        Map<String, ComponentDecl.Generic> declared = env.components.of(path).map(ComponentDecl::generics).orElse(Map.of());
        if (declared.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (ComponentDecl.Generic g : declared.values()) {
            String chosen = null;
            for (TAttr a : e.attrs()) {
                if (a.name().equals("generic:" + g.name()) && a.value() instanceof Binding.Literal l) {
                    chosen = env.components.resolveTag(parent.path, l.value()).orElse(null);
                }
            }
            if (chosen == null) {
                chosen = g.defaultPath();
            }
            if (chosen != null) {
                out.put(g.name(), chosen);
            }
        }
        return Map.copyOf(out);
    }

    /** A component's styleIsolation: its json's, else its Component() options' ({@code addGlobalClass} = apply-shared). */
    private StyleIsolation isolation(String path, ComponentInfo info) {
        StyleIsolation isolation = env.components.of(path).map(ComponentDecl::styleIsolation).orElse(null);
        if (isolation == null) {
            isolation = info.options().styleIsolation();
        }
        if (info.options().addGlobalClass() && (isolation == StyleIsolation.ISOLATED || isolation == StyleIsolation.PAGE_ISOLATED)) {
            return StyleIsolation.APPLY_SHARED;
        }
        return isolation;
    }

    /** The scope classes a component's elements carry, per its styleIsolation. */
    private List<String> scopeClasses(String path, StyleIsolation isolation, PageView page) {
        boolean shared = switch (isolation) {
            case ISOLATED, PAGE_ISOLATED -> false;
            case APPLY_SHARED, SHARED, PAGE_APPLY_SHARED, PAGE_SHARED -> true;
        };
        page.sheets.add(path);
        if (!shared) {
            return List.of(StyleSet.scopeClass(path));
        }
        // The page's rules reach apply-shared/shared components unless the page says page-isolated or
        // page-apply-shared (only page-shared, among the page-* modes, lets them through).
        boolean pageStyles = page.isolation == null || page.isolation == StyleIsolation.PAGE_SHARED;
        return pageStyles
                ? List.of(StyleSet.scopeClass(path), StyleSet.scopeClass(ViewEngine.APP_SHEET), StyleSet.scopeClass(page.route))
                : List.of(StyleSet.scopeClass(path), StyleSet.scopeClass(ViewEngine.APP_SHEET));
    }

    /**
     * A {@code shared} component's scope joins the page's shared scopes; the first time, every instance
     * that takes them renders again (in this flush) so elements already rendered carry it too.
     */
    private static void shareScope(PageView page, String scope) {
        if (page.sharedScopes.add(scope)) {
            for (Instance i : page.instances) {
                if (i.takesShared && !i.removed) {
                    i.dirty = true;
                }
            }
        }
    }

    // ---- removal

    /** A subtree left the virtual tree: its components are detached (children first) and its nodes uncounted. */
    private void discard(VNode n) {
        switch (n) {
            case VNode.Text t -> t.owner.page.virtualNodes--;
            case VNode.Elem e -> {
                e.owner.page.virtualNodes--;
                for (VNode c : e.children) {
                    discard(c);
                }
                if (e.component != null) {
                    for (VNode c : e.component.children) {
                        discard(c);
                    }
                    lifecycle.removed(e.component);
                }
            }
            case VNode.Frag f -> {
                for (VNode c : f.children) {
                    discard(c);
                }
            }
            case VNode.Slot s -> {
            }
        }
    }

    // ---- values

    private static JsonNode value(Binding b, Scope s) {
        return switch (b) {
            case Binding.Literal l -> NODES.stringNode(l.value());
            case Binding.Single one -> Interpreter.eval(one.expr(), s);
            case Binding.Interpolated i -> NODES.stringNode(text(i, s));
        };
    }

    private static String text(Binding b, Scope s) {
        return switch (b) {
            case Binding.Literal l -> l.value();
            case Binding.Single one -> JsValues.toText(Interpreter.eval(one.expr(), s));
            case Binding.Interpolated i -> {
                StringBuilder out = new StringBuilder();
                for (Binding.Part p : i.parts()) {
                    switch (p) {
                        case Binding.TextPart t -> out.append(t.text());
                        case Binding.ExprPart x -> out.append(JsValues.toText(Interpreter.eval(x.expr(), s)));
                    }
                    if (out.length() > Interpreter.STRING_CHARS_MAX) {
                        throw new EvalLimitException("text longer than " + Interpreter.STRING_CHARS_MAX + " characters");
                    }
                }
                yield out.toString();
            }
        };
    }
}
