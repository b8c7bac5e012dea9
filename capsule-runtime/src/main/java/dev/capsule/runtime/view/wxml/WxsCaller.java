package dev.capsule.runtime.view.wxml;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * Runs a template's call to a WXS module export, {@code module.function(args)}, in the WXS sandbox, and
 * answers a module's exported data ({@code {{module.name}}}). An unknown module or function, or a
 * non-function export, answers {@code MissingNode} (undefined), as a missing path does; the implementation
 * bounds its own run time.
 */
@FunctionalInterface
public interface WxsCaller {
    /** Calls {@code function} of {@code module}: an export's name, or a dotted path to a nested one ({@code "obj.fn"}). */
    JsonNode call(String module, String function, List<JsonNode> args);

    /**
     * The exported data of {@code module} as JSON (functions left out, as {@code JSON.stringify} leaves them),
     * which a template reads by name ({@code {{m.label}}}, WeChat's {@code module.exports.msg = "hello"}), or
     * {@code MissingNode} when the file has no such module. A module name in scope is the module: it shadows a
     * data field of the same name, as its calls already do. The default is a caller with no modules in scope.
     */
    default JsonNode exports(String module) {
        return MissingNode.getInstance();
    }
}
