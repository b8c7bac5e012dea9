package dev.capsule.runtime.view.wxml;

import java.util.List;

/** {@code <template name="x">...</template>}: a definition, used by {@link TTemplateUse}. */
public record TemplateDef(String name, List<TNode> children, Pos pos) {
    public TemplateDef {
        children = List.copyOf(children);
    }
}
