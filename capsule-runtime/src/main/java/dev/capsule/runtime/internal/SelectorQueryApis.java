package dev.capsule.runtime.internal;

import dev.capsule.runtime.internal.view.InstanceId;
import dev.capsule.runtime.internal.view.QueriedElement;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one host call of {@code wx.createSelectorQuery()}'s builder (framework.js): its {@code exec}
 * sends every queued request, {@code {scope, requests: [{selector (null: the viewport), all, fields}]}},
 * and gets WeChat's result array back. Each selector is resolved by the engine's component-scoped
 * matching ({@code ViewEngine.query}) in the scope's template ({@code scope} 0: the page on top;
 * else the page or component given to {@code .in()}); {@code id}, {@code dataset} and
 * {@code properties} come from the session's view. No match is {@code null} ({@code []} for a
 * {@code selectAll}), as WeChat. Positions, sizes and scroll offsets need a layout, which no host of
 * this release provides: an entry that asked for {@code rect}, {@code size} or {@code scrollOffset}
 * (or {@code node}, {@code context}, {@code computedStyle}) carries the fields it could answer and {@code errMsg} saying which ones failed and
 * why (docs/view.md, "View APIs").
 */
final class SelectorQueryApis {
    /** Requests one {@code exec} sends. */
    static final int REQUESTS_MAX = 64;
    /** Names one request's {@code properties} field asks for. */
    static final int PROPERTIES_MAX = 64;
    static final String NO_LAYOUT = "needs a layout host: positions, sizes and scroll offsets are known only where the page is "
            + "laid out, and this host renders without layout";
    static final String NO_NODE = "node objects are not built: Capsule has no canvas, and scroll-view contexts need a layout host";
    /** How an entry's errMsg begins (WeChat's {@code name:fail reason} convention, named after the query). */
    static final String ERR_PREFIX = "selectorQuery:fail ";
    static final String NO_STYLE = "computed styles need a layout host: the cascade is computed only where the page is laid out";
    private static final List<String> LAYOUT_FIELDS = List.of("rect", "size", "scrollOffset");

    private SelectorQueryApis() {}

    static ApiOutcome exec(Session s, JsonNode args) {
        JsonNode requests = args.get("requests");
        if (requests == null || !requests.isArray() || requests.size() > REQUESTS_MAX) {
            return ApiOutcome.fail("parameter error: requests must be a list of at most " + REQUESTS_MAX);
        }
        JsonNode scopeArg = args.get("scope");
        int scope = scopeArg == null || !scopeArg.isInt() ? -1 : scopeArg.intValue();
        if (scope < 0) {
            return ApiOutcome.fail("parameter error: scope must be an instance id");
        }
        if (scope == 0) {
            scope = s.navigator.topId();
            if (scope == 0) {
                return ApiOutcome.fail("no page is shown");
            }
        }
        ArrayNode out = Json.mapper().createArrayNode();
        for (JsonNode r : requests) {
            JsonNode fields = r.get("fields");
            if (!r.isObject() || fields == null || !fields.isObject()) {
                return ApiOutcome.fail("parameter error: each request is {selector, all, fields}");
            }
            JsonNode props = fields.get("properties");
            if (props != null && (!props.isArray() || props.size() > PROPERTIES_MAX)) {
                return ApiOutcome.fail("parameter error: properties must be a list of at most " + PROPERTIES_MAX + " names");
            }
            JsonNode selector = r.get("selector");
            if (selector == null || selector.isNull()) {
                out.add(entry(s, null, fields)); // selectViewport
                continue;
            }
            if (!selector.isString()) {
                return ApiOutcome.fail("parameter error: selector must be a string");
            }
            boolean all = r.path("all").asBoolean(false);
            List<QueriedElement> found;
            try {
                found = s.sessionView().query(scope, selector.stringValue(), all);
            } catch (IllegalArgumentException e) {
                return ApiOutcome.fail(selector.stringValue() + ": " + e.getMessage());
            }
            if (all) {
                ArrayNode list = out.addArray();
                found.forEach(e -> list.add(entry(s, e, fields)));
            } else if (found.isEmpty()) {
                out.addNull();
            } else {
                out.add(entry(s, found.getFirst(), fields));
            }
        }
        return new ApiOutcome.Ok(out);
    }

    /** One matched element's answer (e null: the viewport, which has no id and no dataset). */
    private static ObjectNode entry(Session s, QueriedElement e, JsonNode fields) {
        ObjectNode o = Json.object();
        if (fields.path("id").asBoolean(false)) {
            o.put("id", e == null ? "" : e.id());
        }
        if (fields.path("dataset").asBoolean(false)) {
            ObjectNode d = o.putObject("dataset");
            if (e != null) {
                e.dataset().forEach((k, v) -> {
                    if (!v.isMissingNode()) {
                        d.set(k, v);
                    }
                });
            }
        }
        JsonNode props = fields.get("properties");
        if (props != null && e != null) {
            JsonNode data = e.component() == null ? null : s.sessionView().componentData(e.component());
            for (JsonNode p : props) {
                if (!p.isString()) {
                    continue;
                }
                String name = p.stringValue();
                if (data != null) {
                    JsonNode v = data.get(name);
                    if (v != null) {
                        o.set(name, v);
                    }
                } else if (e.attributes().containsKey(name)) {
                    o.put(name, e.attributes().get(name));
                }
            }
        }
        List<String> failed = new ArrayList<>();
        for (String f : LAYOUT_FIELDS) {
            if (fields.path(f).asBoolean(false)) {
                failed.add(f);
            }
        }
        String why = failed.isEmpty() ? null : String.join(", ", failed) + ": " + NO_LAYOUT;
        if (fields.path("node").asBoolean(false)) {
            why = (why == null ? "" : why + "; ") + "node: " + NO_NODE;
        }
        if (fields.path("context").asBoolean(false)) {
            why = (why == null ? "" : why + "; ") + "context: " + NO_NODE;
        }
        if (fields.path("computedStyle").asBoolean(false)) {
            why = (why == null ? "" : why + "; ") + "computedStyle: " + NO_STYLE;
        }
        if (why != null) {
            o.put("errMsg", ERR_PREFIX + why);
        }
        return o;
    }
}
