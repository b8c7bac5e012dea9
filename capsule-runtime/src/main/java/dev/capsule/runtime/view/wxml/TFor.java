package dev.capsule.runtime.view.wxml;

import java.util.List;

/**
 * A {@code wx:for} loop. The engine iterates arrays (and, as WeChat, object values with their keys as
 * index, strings by character, a number n as 0..n-1).
 *
 * @param items the list expression
 * @param item the item variable name ({@code wx:for-item}, default {@code item})
 * @param index the index variable name ({@code wx:for-index}, default {@code index})
 * @param key the {@code wx:key}, or null when absent
 * @param body the repeated nodes
 */
public record TFor(Expr items, String item, String index, TKey key, List<TNode> body) implements TNode {
    public TFor {
        body = List.copyOf(body);
    }
}
