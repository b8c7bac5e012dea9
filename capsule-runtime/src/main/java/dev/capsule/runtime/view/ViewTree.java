package dev.capsule.runtime.view;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The host's copy of one page's view: the tree the ops build, checked op by op. One per page; the page
 * root ({@link ViewNodeId#ROOT}, tag {@code page}) exists from the start. Thread-safe (methods are
 * synchronized).
 *
 * <p>Security guarantees: {@link #apply} accepts a batch only when its version is exactly the previous
 * one plus one, it has at most {@link ViewLimits#opsPerBatchMax()} ops, and every op is allowed: nodes
 * exist (or, for creation, do not), tags are built in ({@link Builtins}), rich-text elements
 * ({@link RichTextSanitizer}) or custom host tags ({@link Builtins#CUSTOM_TAG}); attributes pass
 * {@link Builtins#checkAttribute}, classes are tokens, styles pass {@link StyleRules#check}, dataset keys
 * are names and values text; the tree stays a tree (no cycles, the root never moves), within the node,
 * depth, text and value caps; rich-text elements live only inside {@code rich-text}, which holds nothing
 * else. A refused batch leaves the tree exactly as it was (every change is undone) and throws
 * {@link ViewOpException} naming the op.
 */
public final class ViewTree {
    private static final Pattern CLASS_TOKEN = Pattern.compile("[A-Za-z_-][A-Za-z0-9_-]{0,255}");
    private static final Pattern DATASET_KEY = Pattern.compile("[A-Za-z0-9_$]{1,64}");
    /** Node visits one batch may spend on exact depth measurements and subtree removal, per node the page may hold. */
    public static final int VISITS_PER_NODE_MAX = 8;

    private final ViewLimits limits;
    private final UrlPolicy urls;
    private final Map<Integer, Node> nodes = new HashMap<>();
    private final Map<ChromeField, TreeMap<Integer, String>> chrome = new EnumMap<>(ChromeField.class);
    private final ArrayDeque<Runnable> undo = new ArrayDeque<>();
    private int version;
    private long visitsLeft;

    public ViewTree(ViewLimits limits, UrlPolicy urls) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.urls = Objects.requireNonNull(urls, "urls");
        nodes.put(ViewNodeId.ROOT.value(), new Node(ViewNodeId.ROOT, Builtins.PAGE_TAG, null));
    }

    /** The version of the last batch applied; 0 before the first. */
    public synchronized int version() {
        return version;
    }

    public UrlPolicy urls() {
        return urls;
    }

    /**
     * Applies a whole batch, or nothing of it.
     *
     * @throws ViewOpException naming the first op refused (by index) and why
     */
    public synchronized void apply(ViewBatch batch) {
        if (batch.version() != version + 1) {
            throw new ViewOpException("batch version " + batch.version() + " is not " + (version + 1));
        }
        if (batch.ops().size() > limits.opsPerBatchMax()) {
            throw new ViewOpException("batch has " + batch.ops().size() + " ops, more than " + limits.opsPerBatchMax());
        }
        undo.clear();
        visitsLeft = (long) VISITS_PER_NODE_MAX * limits.nodesPerPageMax();
        int index = 0;
        try {
            for (ViewOp op : batch.ops()) {
                applyOne(op);
                index++;
            }
        } catch (ViewOpException e) {
            while (!undo.isEmpty()) {
                undo.removeLast().run();
            }
            throw new ViewOpException("op " + index + " (" + batch.ops().get(index).getClass().getSimpleName() + "): " + e.getMessage());
        }
        undo.clear();
        version = batch.version();
    }

    /** An immutable copy of the attached tree and the chrome. */
    public synchronized ViewSnapshot snapshot() {
        return new ViewSnapshot(version, (ViewNode.Element) freeze(nodes.get(ViewNodeId.ROOT.value())), new EnumMap<>(chrome));
    }

    /**
     * The attached elements matching a selector ({@link ViewSelector}), in document order.
     *
     * @throws ViewOpException when the selector is not in the grammar
     */
    public List<ViewNodeId> select(String selector) {
        return snapshot().select(selector);
    }

    /**
     * Checks an event a host (a browser, {@code capsule render --events}) reports before it goes to the
     * session: the rule of {@link ViewSnapshot#check} (its target is an attached element of this page and its
     * type is one that element's component emits, {@link Builtins#emits}), on the live tree, which also names a
     * target that exists but is detached.
     *
     * @throws ViewOpException naming what is wrong
     */
    public synchronized void check(ViewEvent event) {
        Node target = nodes.get(event.target().value());
        Node up = target;
        while (up != null && up.parent != null) {
            up = up.parent;
        }
        ViewSnapshot.check(event, target == null ? null : target.tag, up != null && up.id.equals(ViewNodeId.ROOT));
    }

    private void applyOne(ViewOp op) {
        switch (op) {
            case ViewOp.CreateElement c -> {
                checkTag(c.tag());
                create(new Node(c.id(), c.tag(), null));
            }
            case ViewOp.CreateText c -> {
                checkText(c.text());
                create(new Node(c.id(), null, c.text()));
            }
            case ViewOp.SetText s -> {
                Node node = text(s.id());
                checkText(s.text());
                String old = node.text;
                node.text = s.text();
                undo.add(() -> node.text = old);
            }
            case ViewOp.SetAttribute s -> {
                Node node = element(s.id());
                if (s.value() != null) {
                    checkValueLength(s.value());
                    Builtins.checkAttribute(node.tag, s.name(), s.value(), urls).ifPresent(why -> {
                        throw new ViewOpException(why);
                    });
                } else if (Builtins.attribute(node.tag, s.name()).isEmpty()) {
                    throw new ViewOpException("attribute " + ViewOpException.quote(s.name()) + " is not allowed on <" + node.tag + ">");
                }
                put(node.attributes, s.name(), s.value());
            }
            case ViewOp.SetClass s -> {
                Node node = element(s.id());
                if (s.classes().size() > limits.classesPerNodeMax()) {
                    throw new ViewOpException(s.classes().size() + " classes, more than " + limits.classesPerNodeMax());
                }
                for (String token : s.classes()) {
                    if (!CLASS_TOKEN.matcher(token).matches()) {
                        throw new ViewOpException("class " + ViewOpException.quote(token) + " is not a class token");
                    }
                }
                List<String> old = node.classes;
                node.classes = s.classes();
                undo.add(() -> node.classes = old);
            }
            case ViewOp.SetStyle s -> {
                Node node = element(s.id());
                if (s.value() != null) {
                    checkValueLength(s.value());
                    StyleRules.check(s.property(), s.value(), urls).ifPresent(why -> {
                        throw new ViewOpException(why);
                    });
                    if (!node.style.containsKey(s.property()) && node.style.size() >= limits.stylesPerNodeMax()) {
                        throw new ViewOpException("more than " + limits.stylesPerNodeMax() + " style properties");
                    }
                } else if (!StyleRules.isAllowedProperty(s.property())) {
                    throw new ViewOpException("style property " + ViewOpException.quote(s.property()) + " is not allowed");
                }
                // Declaration order matters in CSS (a shorthand after a longhand), so undo restores the whole map.
                var before = new LinkedHashMap<>(node.style);
                undo.add(() -> {
                    node.style.clear();
                    node.style.putAll(before);
                });
                if (s.value() == null) {
                    node.style.remove(s.property());
                } else {
                    node.style.put(s.property(), s.value());
                }
            }
            case ViewOp.SetDataset s -> {
                Node node = element(s.id());
                if (!DATASET_KEY.matcher(s.key()).matches()) {
                    throw new ViewOpException("dataset key " + ViewOpException.quote(s.key()) + " is not a name");
                }
                if (s.value() != null) {
                    checkValueLength(s.value());
                    if (!ValueKind.isText(s.value())) {
                        throw new ViewOpException("dataset value has a control character");
                    }
                    if (!node.dataset.containsKey(s.key()) && node.dataset.size() >= limits.datasetPerNodeMax()) {
                        throw new ViewOpException("more than " + limits.datasetPerNodeMax() + " dataset entries");
                    }
                }
                put(node.dataset, s.key(), s.value());
            }
            case ViewOp.Insert i -> {
                Node child = node(i.child());
                if (child.parent != null || child.id.equals(ViewNodeId.ROOT)) {
                    throw new ViewOpException("node " + child.id + " is already attached; use Move");
                }
                attach(i.parent(), child, i.before());
            }
            case ViewOp.Move m -> {
                Node child = node(m.child());
                if (child.parent == null) {
                    throw new ViewOpException("node " + child.id + " is not attached; use Insert");
                }
                detach(child);
                attach(m.parent(), child, m.before());
            }
            case ViewOp.Remove r -> {
                Node node = node(r.id());
                if (node.id.equals(ViewNodeId.ROOT)) {
                    throw new ViewOpException("the page root cannot be removed");
                }
                if (node.parent != null) {
                    detach(node);
                }
                forget(node);
            }
            case ViewOp.SetChrome s -> setChrome(s);
        }
    }

    private void create(Node node) {
        if (nodes.containsKey(node.id.value())) {
            throw new ViewOpException("node " + node.id + " exists");
        }
        if (nodes.size() >= limits.nodesPerPageMax()) {
            throw new ViewOpException("more than " + limits.nodesPerPageMax() + " nodes in the page");
        }
        nodes.put(node.id.value(), node);
        undo.add(() -> nodes.remove(node.id.value()));
    }

    private void attach(ViewNodeId parentId, Node child, ViewNodeId beforeId) {
        Node parent = element(parentId);
        for (Node up = parent; up != null; up = up.parent) {
            if (up == child) {
                throw new ViewOpException("node " + child.id + " cannot go inside itself");
            }
        }
        checkNesting(parent, child);
        int at = parent.children.size();
        if (beforeId != null) {
            Node before = node(beforeId);
            if (before.parent != parent) {
                throw new ViewOpException("node " + beforeId + " is not a child of " + parentId);
            }
            at = parent.children.indexOf(before);
        }
        int depthAbove = 0;
        for (Node up = parent; up != null && !up.id.equals(ViewNodeId.ROOT); up = up.parent) {
            depthAbove++;
        }
        // Cached heights are upper bounds (a detach never lowers them); only when one says "too deep" is
        // the subtree measured exactly, so building a page bottom-up stays linear.
        if (depthAbove + child.height > limits.depthMax() && depthAbove + measure(child) > limits.depthMax()) {
            throw new ViewOpException("nesting deeper than " + limits.depthMax());
        }
        parent.children.add(at, child);
        child.parent = parent;
        undo.add(() -> {
            parent.children.remove(child);
            child.parent = null;
        });
        int height = child.height + 1;
        for (Node up = parent; up != null && up.height < height; up = up.parent, height++) {
            setHeight(up, height);
        }
    }

    private void setHeight(Node node, int height) {
        int old = node.height;
        node.height = height;
        undo.add(() -> node.height = old);
    }

    /** The exact height of a subtree, refreshing the cached heights inside it. */
    private int measure(Node node) {
        spend();
        int max = 0;
        for (Node child : node.children) {
            max = Math.max(max, measure(child));
        }
        if (node.height != max + 1) {
            setHeight(node, max + 1);
        }
        return max + 1;
    }

    private void detach(Node child) {
        Node parent = child.parent;
        int at = parent.children.indexOf(child);
        parent.children.remove(at);
        child.parent = null;
        undo.add(() -> {
            parent.children.add(at, child);
            child.parent = parent;
        });
    }

    /** Removes a detached subtree's ids from the page. */
    private void forget(Node root) {
        var stack = new ArrayList<Node>();
        stack.add(root);
        while (!stack.isEmpty()) {
            Node node = stack.removeLast();
            spend();
            nodes.remove(node.id.value());
            undo.add(() -> nodes.put(node.id.value(), node));
            stack.addAll(node.children);
        }
    }

    /** Rich-text elements only inside rich-text (which holds only them and text); text nodes hold nothing. */
    private static void checkNesting(Node parent, Node child) {
        boolean richParent = parent.tag.equals("rich-text") || RichTextSanitizer.isRichTextTag(parent.tag);
        boolean richChild = child.tag == null || RichTextSanitizer.isRichTextTag(child.tag);
        if (richParent && !richChild) {
            throw new ViewOpException("<" + parent.tag + "> holds only rich-text elements and text, not <" + child.tag + ">");
        }
        if (!richParent && child.tag != null && RichTextSanitizer.isRichTextTag(child.tag)) {
            throw new ViewOpException("<" + child.tag + "> belongs inside <rich-text>");
        }
    }

    private void spend() {
        if (--visitsLeft < 0) {
            throw new ViewOpException("batch restructures more than " + VISITS_PER_NODE_MAX + " node visits per page node");
        }
    }

    private void setChrome(ViewOp.SetChrome s) {
        ChromeField field = s.field();
        int max = field.indexed() ? ChromeField.TAB_BAR_ITEMS_MAX - 1 : 0;
        if (s.index() < 0 || s.index() > max) {
            throw new ViewOpException(field + " index must be 0" + (max > 0 ? " to " + max : "") + ", got " + s.index());
        }
        String value = s.value();
        if (value != null) {
            checkValueLength(value);
            boolean ok = field.accepts(value);
            if (!ok) {
                throw new ViewOpException(field + " must be a " + field.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                        + ", got " + ViewOpException.quote(value));
            }
        }
        TreeMap<Integer, String> values = chrome.computeIfAbsent(field, f -> new TreeMap<>());
        String old = value == null ? values.remove(s.index()) : values.put(s.index(), value);
        undo.add(() -> {
            if (old == null) {
                values.remove(s.index());
            } else {
                values.put(s.index(), old);
            }
        });
    }

    private <K> void put(Map<K, String> map, K key, String value) {
        String old = value == null ? map.remove(key) : map.put(key, value);
        undo.add(() -> {
            if (old == null) {
                map.remove(key);
            } else {
                map.put(key, old);
            }
        });
    }

    private void checkTag(String tag) {
        if (Builtins.ABSENT.containsKey(tag)) {
            throw new ViewOpException("<" + tag + "> is absent by decision: " + Builtins.ABSENT.get(tag));
        }
        if (tag.equals(Builtins.PAGE_TAG)) {
            throw new ViewOpException("<page> is the root's tag only");
        }
        if (!Builtins.isBuiltin(tag) && !RichTextSanitizer.isRichTextTag(tag) && !Builtins.CUSTOM_TAG.matcher(tag).matches()) {
            throw new ViewOpException("tag " + ViewOpException.quote(tag) + " is not a built-in, rich-text or custom component tag");
        }
    }

    private void checkText(String text) {
        if (text.length() > limits.textCharsMax()) {
            throw new ViewOpException("text of " + text.length() + " chars, more than " + limits.textCharsMax());
        }
    }

    private void checkValueLength(String value) {
        if (value.length() > limits.attributeValueCharsMax()) {
            throw new ViewOpException("value of " + value.length() + " chars, more than " + limits.attributeValueCharsMax());
        }
    }

    private Node node(ViewNodeId id) {
        Node node = nodes.get(id.value());
        if (node == null) {
            throw new ViewOpException("no node " + id);
        }
        return node;
    }

    private Node element(ViewNodeId id) {
        Node node = node(id);
        if (node.tag == null) {
            throw new ViewOpException("node " + id + " is text, not an element");
        }
        return node;
    }

    private Node text(ViewNodeId id) {
        Node node = node(id);
        if (node.tag != null) {
            throw new ViewOpException("node " + id + " is an element, not text");
        }
        return node;
    }

    private static ViewNode freeze(Node node) {
        if (node.tag == null) {
            return new ViewNode.Text(node.id, node.text);
        }
        var children = new ArrayList<ViewNode>(node.children.size());
        node.children.forEach(c -> children.add(freeze(c)));
        return new ViewNode.Element(node.id, node.tag, node.attributes, node.classes, node.style, node.dataset, children);
    }

    /** A mutable node: an element when {@code tag} is set, otherwise text. */
    private static final class Node {
        final ViewNodeId id;
        final String tag;
        String text;
        Node parent;
        /** An upper bound of the subtree's height (1 for a leaf): raised by attaches, never lowered by detaches, made exact by measure(). */
        int height = 1;
        final List<Node> children = new ArrayList<>();
        final Map<String, String> attributes = new TreeMap<>();
        List<String> classes = List.of();
        final Map<String, String> style = new LinkedHashMap<>();
        final Map<String, String> dataset = new TreeMap<>();

        Node(ViewNodeId id, String tag, String text) {
            this.id = id;
            this.tag = tag;
            this.text = text;
        }
    }
}
