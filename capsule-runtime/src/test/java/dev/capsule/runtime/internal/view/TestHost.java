package dev.capsule.runtime.internal.view;

import dev.capsule.runtime.view.wxml.WxsCaller;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/** An in-memory {@link ComponentHost}: instance data as JSON, every call recorded in order. */
final class TestHost implements ComponentHost {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A component definition: what describe answers, its initial data, its methods. */
    record Def(ComponentInfo info, ObjectNode data, Map<String, BiConsumer<InstanceId, ObjectNode>> methods) {
    }

    final Map<String, Def> defs = new HashMap<>();
    final Map<InstanceId, ObjectNode> data = new HashMap<>();
    final Map<InstanceId, String> paths = new HashMap<>();
    /** Methods of pages by name (pages are not described). */
    final Map<String, BiConsumer<InstanceId, ObjectNode>> pageMethods = new HashMap<>();
    final List<String> log = new ArrayList<>();
    final List<ObjectNode> events = new ArrayList<>();
    /** Runs inside lifetime calls (tests that set data from a lifetime). */
    BiConsumer<InstanceId, Lifetime> onLifetime = (i, l) -> { };
    /** Runs inside setProperties (tests of observers that set data). */
    BiConsumer<InstanceId, ObjectNode> onSetProperties = (i, c) -> { };
    ViewEngine engine;
    private int next = 1;

    InstanceId page(ObjectNode initial) {
        InstanceId id = new InstanceId(next++);
        data.put(id, initial);
        paths.put(id, "page");
        return id;
    }

    void define(ComponentInfo info, ObjectNode initial) {
        defs.put(info.path(), new Def(info, initial, new HashMap<>()));
    }

    void method(String path, String name, BiConsumer<InstanceId, ObjectNode> body) {
        defs.get(path).methods().put(name, body);
    }

    /** setData as a guest would: changes the instance's data and tells the engine. */
    void setData(InstanceId id, String key, JsonNode value) {
        data.get(id).set(key, value);
        engine.dataChanged(id, data.get(id).deepCopy());
    }

    @Override
    public ComponentInfo describe(String componentPath) {
        Def d = defs.get(componentPath);
        return d == null ? ComponentInfo.plain(componentPath) : d.info();
    }

    @Override
    public void hostAttributes(InstanceId instance, String elementId, ObjectNode dataset) {
        // this host's instances have no id or dataset of their own: nothing to keep
    }

    @Override
    public InstanceId create(String componentPath, InstanceId owner, ObjectNode initialProperties, String elementId, ObjectNode dataset) {
        InstanceId id = new InstanceId(next++);
        Def d = defs.get(componentPath);
        ObjectNode initial = d == null ? NODES.objectNode() : d.data().deepCopy();
        if (d != null) {
            for (ComponentInfo.Property p : d.info().properties().values()) {
                initial.set(p.name(), Properties.fallback(p));
            }
        }
        initial.setAll(initialProperties);
        data.put(id, initial);
        paths.put(id, componentPath);
        log.add("create " + componentPath + " " + id + " owner " + owner + " " + initialProperties);
        return id;
    }

    @Override
    public JsonNode data(InstanceId instance) {
        return data.get(instance).deepCopy();
    }

    @Override
    public void setProperties(InstanceId instance, ObjectNode changes) {
        log.add("setProperties " + instance + " " + changes);
        data.get(instance).setAll(changes.deepCopy());
        onSetProperties.accept(instance, changes);
    }

    @Override
    public void lifetime(InstanceId instance, Lifetime lifetime) {
        log.add(lifetime + " " + paths.get(instance) + " " + instance);
        onLifetime.accept(instance, lifetime);
    }

    @Override
    public void pageLifetime(InstanceId instance, String name, JsonNode arg) {
        log.add("pageLifetime " + name + " " + instance);
    }

    @Override
    public boolean handle(InstanceId instance, String method, ObjectNode event) {
        log.add("handle " + instance + " " + method);
        events.add(event);
        Def d = defs.get(paths.get(instance));
        Map<String, BiConsumer<InstanceId, ObjectNode>> methods = d == null ? pageMethods : d.methods();
        BiConsumer<InstanceId, ObjectNode> body = methods.get(method);
        if (body == null) {
            return false;
        }
        body.accept(instance, event);
        return true;
    }

    @Override
    public void relation(InstanceId instance, InstanceId other, String key, RelationChange change) {
        log.add("relation " + instance + " " + key + " " + other + " " + change);
    }

    @Override
    public void destroy(InstanceId instance) {
        log.add("destroy " + instance);
        data.remove(instance);
    }

    @Override
    public WxsCaller wxs() {
        // one test module: m.upper(s) and m.twice(n), exported data {label, n, obj: {x}}; anything else is undefined
        return new WxsCaller() {
            @Override
            public JsonNode call(String module, String function, List<JsonNode> args) {
                if (module.equals("m") && function.equals("upper") && !args.isEmpty()) {
                    return NODES.stringNode(args.getFirst().asString().toUpperCase(java.util.Locale.ROOT));
                }
                if (module.equals("m") && function.equals("twice") && !args.isEmpty()) {
                    return NODES.numberNode(args.getFirst().asDouble() * 2);
                }
                return MissingNode.getInstance();
            }

            @Override
            public JsonNode exports(String module) {
                return module.equals("m") ? Fixture.json("{\"label\":\"from m\",\"n\":3,\"obj\":{\"x\":\"deep\"}}")
                        : MissingNode.getInstance();
            }
        };
    }

    /** The log lines starting with a prefix. */
    List<String> logged(String prefix) {
        return log.stream().filter(l -> l.startsWith(prefix)).toList();
    }
}
