package dev.capsule.runtime.view.wxml;

import java.util.List;

/** A {@code wx:if} / {@code wx:elif} / {@code wx:else} chain: the first branch whose condition is truthy renders. */
public record TIf(List<Branch> branches) implements TNode {
    public TIf {
        branches = List.copyOf(branches);
        if (branches.isEmpty() || branches.getFirst().cond() == null) {
            throw new IllegalArgumentException("a wx:if chain starts with a condition");
        }
        for (int i = 0; i < branches.size() - 1; i++) {
            if (branches.get(i).cond() == null) {
                throw new IllegalArgumentException("wx:else is the last branch");
            }
        }
    }

    /** One branch; {@code cond} is null for {@code wx:else}. */
    public record Branch(Expr cond, List<TNode> body) {
        public Branch {
            body = List.copyOf(body);
        }
    }
}
