package dev.capsule.runtime.view.wxml;

import java.util.List;

/**
 * A {@code {{ }}} expression: the closed AST of WeChat's template grammar (glass-easel's). There is no
 * assignment, no {@code new}, no function value, no template literal and no {@code instanceof}; the
 * only call is to a WXS module export, {@code module.fn(args)}. {@link Interpreter} evaluates it.
 */
public sealed interface Expr {
    /** {@code undefined}. */
    record Undefined() implements Expr {
    }

    /** {@code null}. */
    record Null() implements Expr {
    }

    /** {@code true} / {@code false}. */
    record Bool(boolean value) implements Expr {
    }

    /** A number literal (decimal, {@code 0x}, {@code 0o}, {@code 0b}, exponent), a JavaScript double. */
    record Num(double value) implements Expr {
    }

    /** A string literal, escapes decoded. */
    record Str(String value) implements Expr {
    }

    /** A name resolved through the {@link Scope}: data, {@code wx:for} item/index, template data. */
    record Name(String name) implements Expr {
    }

    /** {@code object.name}. */
    record Member(Expr object, String name) implements Expr {
    }

    /** {@code object[key]}. */
    record Index(Expr object, Expr key) implements Expr {
    }

    /**
     * {@code module.function(args)}: the only call, run by the scope's {@link WxsCaller}; {@code function} is a
     * dotted path for a function nested in the module's exports ({@code module.obj.fn(args)} is {@code "obj.fn"}).
     */
    record WxsCall(String module, String function, List<Expr> args) implements Expr {
        public WxsCall {
            args = List.copyOf(args);
        }
    }

    /** A prefix operator. */
    record Unary(UnaryOp op, Expr operand) implements Expr {
    }

    /** A binary operator ({@code && || ??} short-circuit). */
    record Binary(BinaryOp op, Expr left, Expr right) implements Expr {
    }

    /** {@code test ? then : otherwise}. */
    record Conditional(Expr test, Expr then, Expr otherwise) implements Expr {
    }

    /** {@code [a, ...b, , c]}. */
    record ArrayLit(List<ArrayItem> items) implements Expr {
        public ArrayLit {
            items = List.copyOf(items);
        }
    }

    /** {@code {a: 1, b, ...c}}. */
    record ObjectLit(List<ObjectItem> items) implements Expr {
        public ObjectLit {
            items = List.copyOf(items);
        }
    }

    /** An element of an array literal. */
    sealed interface ArrayItem {
    }

    /** A value element. */
    record Item(Expr value) implements ArrayItem {
    }

    /** {@code ...value}: an array's elements (a string's characters). */
    record SpreadItem(Expr value) implements ArrayItem {
    }

    /** An elision ({@code [1, , 2]}): {@code undefined}, as the JSON value holds no holes. */
    record Hole() implements ArrayItem {
    }

    /** A property of an object literal. */
    sealed interface ObjectItem {
    }

    /** {@code key: value} (or the shorthand {@code key}, whose value is {@code Name(key)}). */
    record Prop(String key, Expr value) implements ObjectItem {
    }

    /** {@code ...value}: an object's own properties (an array's indices). */
    record SpreadProp(Expr value) implements ObjectItem {
    }

    enum UnaryOp { NOT, BIT_NOT, PLUS, MINUS, TYPEOF, VOID }

    enum BinaryOp {
        MUL, DIV, REM, ADD, SUB, SHL, SHR, USHR, LT, GT, LE, GE, EQ, NE, STRICT_EQ, STRICT_NE,
        BIT_AND, BIT_XOR, BIT_OR, AND, OR, NULLISH
    }
}
