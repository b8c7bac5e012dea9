package dev.capsule.runtime.internal.view;

import dev.capsule.runtime.view.ViewNodeId;
import dev.capsule.runtime.view.wxml.TEventBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A node of the engine's virtual tree. Each instance's template instantiates to a list of these (one
 * per template node, so a re-render matches old to new by position, {@code wx:for} items by key).
 * Elements and texts are real (they become view nodes once {@link #id} is set, which the
 * {@link OpWriter} does when they first appear in the rendered tree); fragments ({@code wx:if},
 * {@code wx:for}, {@code block}, {@code template}, {@code include}) and slots are virtual.
 */
abstract sealed class VNode permits VNode.Text, VNode.Elem, VNode.Frag, VNode.Slot {
    /** The structural parent within the same template (null at the template's top level). */
    VNode parent;
    /** The page or component whose template made this node (the owner of its event bindings). */
    final Instance owner;
    /** The view node, once sent; null while only virtual. */
    ViewNodeId id;
    /** The element it was last inserted under on the backend (while {@link #id} is set). */
    Elem sentParent;

    VNode(Instance owner) {
        this.owner = owner;
    }

    /** A text node. */
    static final class Text extends VNode {
        String text = "";
        /** The text the backend has (meaningful while {@link #id} is set). */
        String sentText;

        Text(Instance owner) {
            super(owner);
        }
    }

    /** An event binding as rendered: the handler name evaluated. */
    record Listener(String event, TEventBinding.Kind kind, String handler) {
        boolean capture() {
            return kind == TEventBinding.Kind.CAPTURE_BIND || kind == TEventBinding.Kind.CAPTURE_CATCH;
        }

        boolean isFinal() {
            return kind == TEventBinding.Kind.CATCH || kind == TEventBinding.Kind.CAPTURE_CATCH;
        }

        boolean mutated() {
            return kind == TEventBinding.Kind.MUT_BIND;
        }
    }

    /** An element: a built-in, an inert unknown tag, or a custom component's host. */
    static final class Elem extends VNode {
        /** The tag sent in CreateElement. */
        final String tag;
        /** The component instance this element hosts, or null. */
        Instance component;
        /** The component path (for hosts), to tell a changed component apart on reuse. */
        final String componentPath;

        Map<String, String> attrs = Map.of();
        List<String> classes = List.of();
        Map<String, String> styles = Map.of();
        Map<String, String> dataset = Map.of();
        /** Dataset values with their types, for event objects. */
        Map<String, JsonNode> datasetValues = Map.of();
        Map<String, JsonNode> marks = Map.of();
        List<Listener> listeners = List.of();
        /** The {@code id} attribute as the guest wrote it ("" when none). */
        String elementId = "";
        /** The class tokens as the guest wrote them (for component selectors). */
        List<String> writtenClasses = List.of();
        /** The {@code slot} attribute ("" when none). */
        String slotName = "";
        /** Structural children (for a component host: the light children, slotted into its template). */
        List<VNode> children = new ArrayList<>();

        /** What the backend has (while {@link #id} is set). */
        Map<String, String> sentAttrs = Map.of();
        List<String> sentClasses = List.of();
        Map<String, String> sentStyles = Map.of();
        Map<String, String> sentDataset = Map.of();
        List<VNode> sentChildren = new ArrayList<>();
        int sentDepth;
        /** Whether a property may differ from what was sent (set by the renderer, cleared by the op writer). */
        boolean dirty = true;

        Elem(Instance owner, String tag, String componentPath) {
            super(owner);
            this.tag = tag;
            this.componentPath = componentPath;
        }

        boolean isHost() {
            return component != null;
        }

        boolean virtualHost() {
            return component != null && component.info != null && component.info.options().virtualHost();
        }

        static Map<String, String> ordered() {
            return new LinkedHashMap<>();
        }
    }

    /** A virtual group: if-branch, for, for-item, block, template use, include. */
    static final class Frag extends VNode {
        /** What made it, so a re-render reuses it only for the same thing (branch index, template name, item key). */
        Object identity;
        List<VNode> children = new ArrayList<>();
        /** For a {@code wx:for} item: the item and index it was rendered with (see {@link FreeNames}). */
        JsonNode renderedItem;
        JsonNode renderedIndex;
        /** For a {@code wx:for}: the values its body's other names had, and the owner's external classes, at the last render. */
        List<JsonNode> renderedOuter;
        Object renderedClasses;

        Frag(Instance owner, Object identity) {
            super(owner);
            this.identity = identity;
        }
    }

    /** A {@code <slot>} in a component's template: where the host's light children render. */
    static final class Slot extends VNode {
        String name = "";

        Slot(Instance owner) {
            super(owner);
        }
    }
}
