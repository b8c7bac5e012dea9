package dev.capsule.runtime.internal.view;

import dev.capsule.core.json.StrictJson;
import dev.capsule.runtime.internal.view.ComponentInfo.Options;
import dev.capsule.runtime.internal.view.ComponentInfo.Property;
import dev.capsule.runtime.internal.view.ComponentInfo.PropertyType;
import dev.capsule.runtime.internal.view.ComponentInfo.Relation;
import dev.capsule.runtime.internal.view.ComponentInfo.RelationType;
import dev.capsule.runtime.view.wxml.ResolvedTemplate;
import dev.capsule.runtime.view.wxml.StyleIsolation;
import dev.capsule.runtime.view.wxml.TemplateSet;
import dev.capsule.runtime.view.wxml.WxsCaller;
import dev.capsule.runtime.view.wxml.WxsModuleDef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@link ComponentHost} of a session: page and component instances live in the session's
 * framework script ({@code framework.js}); this class calls its members with JSON text and keeps
 * what the view renders of each instance (the data its last change reported). Loop thread only:
 * every call happens inside a session event, under that event's limits.
 *
 * <p>Security guarantees: nothing of the guest crosses but JSON text made by the framework's
 * snapshot, parsed here under the strict JSON limits; a definition the framework describes is
 * checked into a {@link ComponentInfo} (types, relation kinds, a pattern that compiles) or refused.
 * A guest error inside a lifetime, observer or handler is reported as the guest's uncaught error and
 * the render goes on; a stop of the event (limits, cancellation) passes through untouched.
 */
public final class SessionComponents implements ComponentHost {
    /** What the components layer needs of its session. */
    public interface Guest {
        /** The framework script's API object. */
        Value framework();

        /** A guest error thrown inside a view call (a lifetime, an observer, a handler): reported as uncaught. */
        void uncaught(String label, PolyglotException error);
    }

    private final Guest guest;
    private final TemplateSet templates;
    private final WxsContext wxs;
    private final Map<InstanceId, JsonNode> data = new HashMap<>();
    private final Map<String, ComponentInfo> described = new HashMap<>();
    private final Map<String, WxsCaller> wxsCallers = new HashMap<>();
    private int lastId;

    public SessionComponents(Guest guest, TemplateSet templates, WxsContext wxs) {
        this.guest = guest;
        this.templates = templates;
        this.wxs = wxs;
    }

    /** The next id of the session's one counter (pages and components). */
    public InstanceId nextId() {
        return new InstanceId(++lastId);
    }

    /** The framework reported an instance's rendered data (after a setData, a property change, its creation). */
    public JsonNode dataReported(InstanceId instance, String json) {
        JsonNode node = StrictJson.mapper().readTree(json);
        data.put(instance, node);
        return node;
    }

    /** A page or component is gone: its data is forgotten. */
    public void forget(InstanceId instance) {
        data.remove(instance);
    }

    // ---- ComponentHost --------------------------------------------------------------------------

    @Override
    public ComponentInfo describe(String componentPath) {
        ComponentInfo known = described.get(componentPath);
        if (known != null) {
            return known;
        }
        ComponentInfo info = info(componentPath, StrictJson.mapper().readTree(framework().invokeMember("describe", componentPath).asString()));
        described.put(componentPath, info);
        return info;
    }

    @Override
    public InstanceId create(String componentPath, InstanceId owner, ObjectNode initialProperties, String elementId, ObjectNode dataset) {
        InstanceId id = nextId();
        String props = StrictJson.mapper().writeValueAsString(initialProperties);
        String datasetJson = StrictJson.mapper().writeValueAsString(dataset);
        guestCall(id, "created " + componentPath,
                () -> framework().invokeMember("createComponent", id.value(), componentPath, owner.value(), props, elementId, datasetJson));
        data.putIfAbsent(id, StrictJson.mapper().createObjectNode());
        return id;
    }

    @Override
    public void hostAttributes(InstanceId instance, String elementId, ObjectNode dataset) {
        String datasetJson = StrictJson.mapper().writeValueAsString(dataset);
        guestCall(instance, "dataset", () -> framework().invokeMember("hostAttributes", instance.value(), elementId, datasetJson));
    }

    @Override
    public JsonNode data(InstanceId instance) {
        JsonNode d = data.get(instance);
        return d == null ? MissingNode.getInstance() : d;
    }

    @Override
    public void setProperties(InstanceId instance, ObjectNode changes) {
        String json = StrictJson.mapper().writeValueAsString(changes);
        guestCall(instance, "properties", () -> framework().invokeMember("setProperties", instance.value(), json));
    }

    @Override
    public void lifetime(InstanceId instance, Lifetime lifetime) {
        String name = lifetime.name().toLowerCase(Locale.ROOT);
        guestCall(instance, name, () -> framework().invokeMember("lifetime", instance.value(), name));
    }

    @Override
    public void pageLifetime(InstanceId instance, String name, JsonNode arg) {
        String json = arg == null || arg.isMissingNode() ? null : StrictJson.mapper().writeValueAsString(arg);
        guestCall(instance, "pageLifetimes." + name, () -> {
            if (json == null) {
                framework().invokeMember("pageLifetime", instance.value(), name);
            } else {
                framework().invokeMember("pageLifetime", instance.value(), name, json);
            }
        });
    }

    @Override
    public boolean handle(InstanceId instance, String method, ObjectNode event) {
        String json = StrictJson.mapper().writeValueAsString(event);
        boolean[] handled = {true};
        guestCall(instance, method, () -> handled[0] = framework().invokeMember("handle", instance.value(), method, json).asBoolean());
        return handled[0];
    }

    @Override
    public void relation(InstanceId instance, InstanceId other, String key, RelationChange change) {
        String name = switch (change) {
            case LINKED -> "linked";
            case LINK_CHANGED -> "linkChanged";
            case UNLINKED -> "unlinked";
        };
        guestCall(instance, "relations." + name, () -> framework().invokeMember("relation", instance.value(), other.value(), key, name));
    }

    @Override
    public void destroy(InstanceId instance) {
        data.remove(instance);
        framework().invokeMember("dropComponent", instance.value());
    }

    @Override
    public WxsCaller wxs() {
        return (module, function, args) -> MissingNode.getInstance(); // no file, no modules in scope
    }

    /** The modules of one template file: its {@code <wxs>} tags, inline ones keyed by file and name. */
    @Override
    public WxsCaller wxs(String templatePath) {
        return wxsCallers.computeIfAbsent(templatePath, path -> {
            Optional<ResolvedTemplate> file = templates.page(path);
            Map<String, WxsModuleDef> modules = new LinkedHashMap<>();
            file.ifPresent(f -> f.wxs().forEach(m -> modules.put(m.module(), m)));
            return new FileWxs(path, modules, wxs);
        });
    }

    /** The WXS modules of one template file over the session's context: a file module by its path, an inline one by file and name. */
    private record FileWxs(String path, Map<String, WxsModuleDef> modules, WxsContext wxs) implements WxsCaller {
        @Override
        public JsonNode call(String module, String function, List<JsonNode> args) {
            WxsModuleDef def = modules.get(module);
            if (def == null) {
                return MissingNode.getInstance();
            }
            return def.src() != null
                    ? wxs.call(def.src(), null, null, function, args)
                    : wxs.call(path + ".wxml#" + module, path + ".wxml", def.source(), function, args);
        }

        @Override
        public JsonNode exports(String module) {
            WxsModuleDef def = modules.get(module);
            if (def == null) {
                return MissingNode.getInstance();
            }
            return def.src() != null
                    ? wxs.exports(def.src(), null, null)
                    : wxs.exports(path + ".wxml#" + module, path + ".wxml", def.source());
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private Value framework() {
        return guest.framework();
    }

    /**
     * Runs guest code of an instance; its own error is reported and the render goes on; a stop passes
     * through. A reported error then reaches the component's {@code error} lifetimes once, as WeChat's; an
     * error they throw is only reported (no second round).
     */
    private void guestCall(InstanceId instance, String label, Runnable call) {
        PolyglotException error = guestError(label, call);
        if (error != null) {
            Value thrown = error.getGuestObject();
            guestError("lifetimes.error", () -> framework().invokeMember("componentError", instance.value(), thrown));
        }
    }

    /** Runs guest code; returns its uncaught error after reporting it, or null; a stop passes through. */
    private PolyglotException guestError(String label, Runnable call) {
        try {
            call.run();
            return null;
        } catch (PolyglotException e) {
            if (!e.isGuestException() || e.isCancelled() || e.isInterrupted() || e.isResourceExhausted()) {
                throw e;
            }
            guest.uncaught(label, e);
            return e;
        }
    }

    /** The framework's description, checked into the engine's record. */
    static ComponentInfo info(String path, JsonNode d) {
        Map<String, Property> properties = new LinkedHashMap<>();
        for (var e : d.path("properties").properties()) {
            JsonNode p = e.getValue();
            List<PropertyType> optional = new ArrayList<>();
            for (JsonNode t : p.path("optionalTypes")) {
                optional.add(type(t.asString("")));
            }
            properties.put(e.getKey(), new Property(e.getKey(), type(p.path("type").asString("")), optional,
                    p.has("value") ? p.get("value") : MissingNode.getInstance()));
        }
        List<String> external = new ArrayList<>();
        d.path("externalClasses").forEach(c -> external.add(c.asString("")));
        JsonNode o = d.path("options");
        String isolation = o.path("styleIsolation").isString() ? o.path("styleIsolation").stringValue() : null;
        Options options = new Options(o.path("multipleSlots").asBoolean(false),
                isolation == null ? Options.DEFAULT.styleIsolation() : StyleIsolation.of(isolation)
                        .orElseThrow(() -> new IllegalArgumentException("component " + path + ": unknown styleIsolation " + isolation)),
                o.path("addGlobalClass").asBoolean(false),
                o.path("pureDataPattern").isString() ? o.path("pureDataPattern").stringValue() : null,
                o.path("virtualHost").asBoolean(false));
        Map<String, Relation> relations = new LinkedHashMap<>();
        for (var e : d.path("relations").properties()) {
            JsonNode r = e.getValue();
            RelationType type = RelationType.valueOf(r.path("type").asString("").toUpperCase(Locale.ROOT));
            String behavior = r.path("target").isString() ? r.path("target").stringValue() : null;
            relations.put(e.getKey(), new Relation(e.getKey(), type, behavior == null ? relative(path, e.getKey()) : null, behavior));
        }
        List<String> behaviors = new ArrayList<>();
        d.path("behaviors").forEach(b -> behaviors.add(b.asString("")));
        return new ComponentInfo(path, properties, external, options, relations, behaviors);
    }

    private static PropertyType type(String name) {
        return switch (name) {
            case "String" -> PropertyType.STRING;
            case "Number" -> PropertyType.NUMBER;
            case "Boolean" -> PropertyType.BOOLEAN;
            case "Object" -> PropertyType.OBJECT;
            case "Array" -> PropertyType.ARRAY;
            case "Any", "Function" -> PropertyType.ANY; // a function never crosses to the view: WeChat's default applies
            default -> throw new IllegalArgumentException("unknown property type " + name);
        };
    }

    /** A relation key ({@code ./item}, {@code ../list/list}, {@code /components/x}) as a package path without extension. */
    static String relative(String from, String key) {
        String base = key.startsWith("/") ? "" : from.substring(0, from.lastIndexOf('/') + 1);
        List<String> parts = new ArrayList<>();
        for (String seg : (base + (key.startsWith("/") ? key.substring(1) : key)).split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (parts.isEmpty()) {
                    throw new IllegalArgumentException("relation " + key + " of " + from + " leaves the package");
                }
                parts.removeLast();
            } else {
                parts.add(seg);
            }
        }
        return String.join("/", parts);
    }
}
