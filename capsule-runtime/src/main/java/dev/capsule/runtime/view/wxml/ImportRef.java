package dev.capsule.runtime.view.wxml;

/** {@code <import src="..."/>}: the src as written (or, after {@link TemplateSet#compile}, the package path without extension). */
public record ImportRef(String src, Pos pos) {
}
