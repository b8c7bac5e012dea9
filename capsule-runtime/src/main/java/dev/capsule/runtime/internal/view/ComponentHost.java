package dev.capsule.runtime.internal.view;

import dev.capsule.runtime.view.wxml.WxsCaller;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The guest side of the view: page and component instances, as the {@link ViewEngine} drives them.
 * The components layer implements it over a session (guest code runs in the sandbox); engine tests
 * implement it in memory. Every call may run guest code, which may call back into the engine only
 * through {@link ViewEngine#dataChanged} and {@link ViewEngine#triggerEvent} (both only record work;
 * rendering happens in {@link ViewEngine#flush}).
 */
public interface ComponentHost {

    /** The definition of a component (its {@code Component()} with behaviors merged). */
    ComponentInfo describe(String componentPath);

    /**
     * Creates an instance of a component used in {@code owner}'s template and runs its {@code created}
     * lifetime. {@code initialProperties} holds only declared properties, already of their declared types.
     * {@code elementId} and {@code dataset} are the host element's {@code id} ({@code ""} when absent) and
     * {@code data-*} values (camel-cased keys, undefined ones left out) as the owner's template gives them
     * at creation: the instance's {@code this.id} and {@code this.dataset}, as WeChat's.
     */
    InstanceId create(String componentPath, InstanceId owner, ObjectNode initialProperties, String elementId, ObjectNode dataset);

    /**
     * The instance's current data (what its template renders), properties included: a tree the host
     * never mutates afterwards (the engine keeps it to compare the next render's data with).
     */
    JsonNode data(InstanceId instance);

    /** The host element's {@code id} or {@code data-*} values changed (as in {@link #create}): the new {@code this.id} and {@code this.dataset}. */
    void hostAttributes(InstanceId instance, String elementId, ObjectNode dataset);

    /** Property values that changed (deep compare) since the last call; the instance's observers run. */
    void setProperties(InstanceId instance, ObjectNode changes);

    /** Runs a lifetime of a component instance. */
    void lifetime(InstanceId instance, Lifetime lifetime);

    /** Runs a {@code pageLifetimes} entry ({@code show}, {@code hide}, {@code resize}) of a component instance. */
    void pageLifetime(InstanceId instance, String name, JsonNode arg);

    /**
     * Calls an event handler method on a page or component instance with a WeChat event object.
     *
     * @return false when the instance has no such method (WeChat warns and goes on)
     */
    boolean handle(InstanceId instance, String method, ObjectNode event);

    /** A {@code relations} link of {@code instance} (under its relation {@code key}) to {@code other} changed. */
    void relation(InstanceId instance, InstanceId other, String key, RelationChange change);

    /** The instance was removed from its page (after DETACHED); its id is never used again. */
    void destroy(InstanceId instance);

    /** Runs WXS calls of templates. */
    WxsCaller wxs();

    /**
     * Runs WXS calls of the templates of one file (its {@code <wxs module>}s: module names are per
     * file). The default serves every file from {@link #wxs()}.
     *
     * @param templatePath the package path without extension of the file whose expression calls
     */
    default WxsCaller wxs(String templatePath) {
        return wxs();
    }
}
