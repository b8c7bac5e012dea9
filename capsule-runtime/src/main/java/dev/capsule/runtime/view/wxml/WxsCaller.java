package dev.capsule.runtime.view.wxml;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Runs a template's call to a WXS module export, {@code module.function(args)}, in the WXS sandbox.
 * An unknown module or function, or a non-function export, answers {@code MissingNode} (undefined), as
 * a missing path does; the implementation bounds its own run time.
 */
@FunctionalInterface
public interface WxsCaller {
    JsonNode call(String module, String function, List<JsonNode> args);
}
