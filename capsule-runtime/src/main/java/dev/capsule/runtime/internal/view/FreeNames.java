package dev.capsule.runtime.internal.view;

import dev.capsule.runtime.view.wxml.Binding;
import dev.capsule.runtime.view.wxml.Expr;
import dev.capsule.runtime.view.wxml.TAttr;
import dev.capsule.runtime.view.wxml.TElement;
import dev.capsule.runtime.view.wxml.TEventBinding;
import dev.capsule.runtime.view.wxml.TFor;
import dev.capsule.runtime.view.wxml.TIf;
import dev.capsule.runtime.view.wxml.TInclude;
import dev.capsule.runtime.view.wxml.TNode;
import dev.capsule.runtime.view.wxml.TemplateSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names a {@code wx:for} body reads besides its item and index (data fields, outer loop variables),
 * and whether it reads its index: what decides whether an item can render differently than last time.
 * Conservative: every name anywhere in the body (nested loops, template data, included files) counts.
 */
final class FreeNames {
    /** The body's other names, in a stable order, and whether the index is read. */
    record Names(List<String> outer, boolean usesIndex) {
    }

    private final TemplateSet templates;
    private final Map<TFor, Names> cache = new IdentityHashMap<>();

    FreeNames(TemplateSet templates) {
        this.templates = templates;
    }

    Names of(TFor loop) {
        Names done = cache.get(loop);
        if (done == null) {
            Set<String> names = new LinkedHashSet<>();
            nodes(loop.body(), names, 0);
            boolean index = names.remove(loop.index());
            names.remove(loop.item());
            done = new Names(List.copyOf(names), index);
            cache.put(loop, done);
        }
        return done;
    }

    private void nodes(List<TNode> nodes, Set<String> out, int includes) {
        for (TNode n : nodes) {
            switch (n) {
                case dev.capsule.runtime.view.wxml.TText t -> binding(t.text(), out);
                case TElement e -> {
                    for (TAttr a : e.attrs()) {
                        binding(a.value(), out);
                    }
                    for (TEventBinding b : e.events()) {
                        binding(b.handler(), out);
                    }
                    e.dataset().values().forEach(b -> binding(b, out));
                    e.marks().values().forEach(b -> binding(b, out));
                    if (e.cls() != null) {
                        binding(e.cls().value(), out);
                    }
                    if (e.style() != null) {
                        binding(e.style(), out);
                    }
                    if (e.id() != null) {
                        binding(e.id(), out);
                    }
                    nodes(e.children(), out, includes);
                }
                case TIf f -> {
                    for (TIf.Branch b : f.branches()) {
                        if (b.cond() != null) {
                            expr(b.cond(), out);
                        }
                        nodes(b.body(), out, includes);
                    }
                }
                case TFor f -> {
                    expr(f.items(), out);
                    nodes(f.body(), out, includes);
                }
                case dev.capsule.runtime.view.wxml.TBlock b -> nodes(b.children(), out, includes);
                case dev.capsule.runtime.view.wxml.TTemplateUse u -> {
                    binding(u.is(), out);
                    if (u.data() != null) {
                        expr(u.data(), out);
                    }
                }
                case TInclude i -> {
                    if (includes < ViewEngine.TEMPLATE_DEPTH_MAX) {
                        templates.page(i.path()).ifPresent(t -> nodes(t.children(), out, includes + 1));
                    }
                }
                case dev.capsule.runtime.view.wxml.TSlot sl -> binding(sl.name(), out);
            }
        }
    }

    private static void binding(Binding b, Set<String> out) {
        switch (b) {
            case Binding.Literal l -> {
            }
            case Binding.Single one -> expr(one.expr(), out);
            case Binding.Interpolated i -> {
                for (Binding.Part p : i.parts()) {
                    if (p instanceof Binding.ExprPart x) {
                        expr(x.expr(), out);
                    }
                }
            }
        }
    }

    private static void expr(Expr e, Set<String> out) {
        switch (e) {
            case Expr.Name n -> out.add(n.name());
            case Expr.Member m -> expr(m.object(), out);
            case Expr.Index i -> {
                expr(i.object(), out);
                expr(i.key(), out);
            }
            case Expr.WxsCall c -> c.args().forEach(a -> expr(a, out));
            case Expr.Unary u -> expr(u.operand(), out);
            case Expr.Binary b -> {
                expr(b.left(), out);
                expr(b.right(), out);
            }
            case Expr.Conditional c -> {
                expr(c.test(), out);
                expr(c.then(), out);
                expr(c.otherwise(), out);
            }
            case Expr.ArrayLit a -> {
                for (Expr.ArrayItem item : a.items()) {
                    switch (item) {
                        case Expr.Item v -> expr(v.value(), out);
                        case Expr.SpreadItem v -> expr(v.value(), out);
                        case Expr.Hole h -> {
                        }
                    }
                }
            }
            case Expr.ObjectLit o -> {
                for (Expr.ObjectItem item : o.items()) {
                    switch (item) {
                        case Expr.Prop p -> expr(p.value(), out);
                        case Expr.SpreadProp p -> expr(p.value(), out);
                    }
                }
            }
            case Expr.Undefined u -> {
            }
            case Expr.Null n -> {
            }
            case Expr.Bool b -> {
            }
            case Expr.Num n -> {
            }
            case Expr.Str s -> {
            }
        }
    }
}
