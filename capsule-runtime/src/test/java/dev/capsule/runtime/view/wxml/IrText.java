package dev.capsule.runtime.view.wxml;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.JsonNodeFactory;

/** A canonical text of the IR for golden tests: one node per line, expressions fully parenthesized. */
final class IrText {
    private IrText() {
    }

    static String file(WxmlFile f) {
        StringBuilder sb = new StringBuilder();
        for (ImportRef i : f.imports()) {
            sb.append("import ").append(i.src()).append(" @").append(i.pos()).append('\n');
        }
        for (WxsModuleDef w : f.wxs()) {
            sb.append("wxs ").append(w.module()).append(w.src() != null ? " src=" + w.src() : " inline=" + quote(w.source()))
                    .append(" @").append(w.pos()).append('\n');
        }
        for (TemplateDef t : new TreeMap<>(f.templates()).values()) {
            sb.append("template ").append(t.name()).append(" @").append(t.pos()).append('\n');
            nodes(sb, t.children(), 1);
        }
        nodes(sb, f.children(), 0);
        return sb.toString();
    }

    static void nodes(StringBuilder sb, List<TNode> nodes, int depth) {
        for (TNode n : nodes) {
            node(sb, n, depth);
        }
    }

    private static void node(StringBuilder sb, TNode n, int depth) {
        String pad = "  ".repeat(depth);
        switch (n) {
            case TElement e -> {
                sb.append(pad).append('<').append(e.tag());
                if (e.id() != null) {
                    sb.append(" id=").append(binding(e.id()));
                }
                if (e.cls() != null) {
                    sb.append(" class=").append(binding(e.cls().value()));
                }
                if (e.style() != null) {
                    sb.append(" style=").append(binding(e.style()));
                }
                for (TAttr a : e.attrs()) {
                    sb.append(' ').append(a.name()).append('=').append(binding(a.value()));
                }
                for (Map.Entry<String, Binding> d : new TreeMap<>(e.dataset()).entrySet()) {
                    sb.append(" dataset.").append(d.getKey()).append('=').append(binding(d.getValue()));
                }
                for (Map.Entry<String, Binding> d : new TreeMap<>(e.marks()).entrySet()) {
                    sb.append(" mark.").append(d.getKey()).append('=').append(binding(d.getValue()));
                }
                for (TEventBinding b : e.events()) {
                    sb.append(" on.").append(b.kind()).append('.').append(b.event()).append('=').append(binding(b.handler()));
                }
                sb.append("> @").append(e.pos()).append('\n');
                nodes(sb, e.children(), depth + 1);
            }
            case TText t -> sb.append(pad).append("text ").append(binding(t.text())).append(" @").append(t.pos()).append('\n');
            case TIf i -> {
                sb.append(pad).append("if\n");
                for (TIf.Branch b : i.branches()) {
                    sb.append(pad).append("  ").append(b.cond() == null ? "else" : "when " + expr(b.cond())).append('\n');
                    nodes(sb, b.body(), depth + 2);
                }
            }
            case TFor f -> {
                sb.append(pad).append("for ").append(expr(f.items())).append(" item=").append(f.item()).append(" index=").append(f.index());
                if (f.key() != null) {
                    sb.append(" key=").append(switch (f.key()) {
                        case TKey.Self s -> "*this";
                        case TKey.Field(String name) -> name;
                    });
                }
                sb.append('\n');
                nodes(sb, f.body(), depth + 1);
            }
            case TBlock b -> {
                sb.append(pad).append("block\n");
                nodes(sb, b.children(), depth + 1);
            }
            case TTemplateUse u -> sb.append(pad).append("use ").append(binding(u.is()))
                    .append(u.data() == null ? "" : " data=" + expr(u.data())).append(" @").append(u.pos()).append('\n');
            case TInclude i -> sb.append(pad).append("include ").append(i.path()).append('\n');
            case TSlot s -> sb.append(pad).append("slot ").append(binding(s.name())).append('\n');
        }
    }

    static String binding(Binding b) {
        return switch (b) {
            case Binding.Literal(String v) -> quote(v);
            case Binding.Single(Expr e) -> "{{" + expr(e) + "}}";
            case Binding.Interpolated(List<Binding.Part> parts) -> String.join(" + ", parts.stream().map(p -> switch (p) {
                case Binding.TextPart(String t) -> quote(t);
                case Binding.ExprPart(Expr e) -> "{{" + expr(e) + "}}";
            }).toList());
        };
    }

    static String quote(String s) {
        return JsonNodeFactory.instance.stringNode(s).toString();
    }

    static String expr(Expr e) {
        return switch (e) {
            case Expr.Undefined u -> "undefined";
            case Expr.Null n -> "null";
            case Expr.Bool(boolean b) -> Boolean.toString(b);
            case Expr.Num(double d) -> JsValues.numberToString(d);
            case Expr.Str(String s) -> quote(s);
            case Expr.Name(String n) -> n;
            case Expr.Member(Expr o, String n) -> expr(o) + "." + n;
            case Expr.Index(Expr o, Expr k) -> expr(o) + "[" + expr(k) + "]";
            case Expr.WxsCall(String m, String f, List<Expr> args) -> m + "." + f + "(" + String.join(", ", args.stream().map(IrText::expr).toList()) + ")";
            case Expr.Unary(Expr.UnaryOp op, Expr x) -> "(" + switch (op) {
                case NOT -> "!";
                case BIT_NOT -> "~";
                case PLUS -> "+";
                case MINUS -> "-";
                case TYPEOF -> "typeof ";
                case VOID -> "void ";
            } + expr(x) + ")";
            case Expr.Binary(Expr.BinaryOp op, Expr l, Expr r) -> "(" + expr(l) + " " + switch (op) {
                case MUL -> "*";
                case DIV -> "/";
                case REM -> "%";
                case ADD -> "+";
                case SUB -> "-";
                case SHL -> "<<";
                case SHR -> ">>";
                case USHR -> ">>>";
                case LT -> "<";
                case GT -> ">";
                case LE -> "<=";
                case GE -> ">=";
                case EQ -> "==";
                case NE -> "!=";
                case STRICT_EQ -> "===";
                case STRICT_NE -> "!==";
                case BIT_AND -> "&";
                case BIT_XOR -> "^";
                case BIT_OR -> "|";
                case AND -> "&&";
                case OR -> "||";
                case NULLISH -> "??";
            } + " " + expr(r) + ")";
            case Expr.Conditional(Expr c, Expr a, Expr b) -> "(" + expr(c) + " ? " + expr(a) + " : " + expr(b) + ")";
            case Expr.ArrayLit(List<Expr.ArrayItem> items) -> "[" + String.join(", ", items.stream().map(i -> switch (i) {
                case Expr.Item(Expr v) -> expr(v);
                case Expr.SpreadItem(Expr v) -> "..." + expr(v);
                case Expr.Hole h -> "<hole>";
            }).toList()) + "]";
            case Expr.ObjectLit(List<Expr.ObjectItem> items) -> "{" + String.join(", ", items.stream().map(i -> switch (i) {
                case Expr.Prop(String k, Expr v) -> k + ": " + expr(v);
                case Expr.SpreadProp(Expr v) -> "..." + expr(v);
            }).toList()) + "}";
        };
    }
}
