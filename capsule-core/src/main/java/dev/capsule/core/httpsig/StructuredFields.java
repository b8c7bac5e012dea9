package dev.capsule.core.httpsig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The part of RFC 8941 (Structured Field Values for HTTP) that HTTP Message Signatures and Digest Fields use:
 * Dictionaries whose members are Items or Inner Lists, with Parameters; bare items Integer, String, Token, Byte
 * Sequence and Boolean. Decimals are refused (no field this package reads has one).
 *
 * <p>Security guarantees: parsing follows RFC 8941 §4.2 strictly and refuses (never repairs) anything else; input
 * longer than {@link #FIELD_CHARS_MAX} and more than {@link #MEMBERS_MAX} members or parameters are refused, so a
 * hostile header costs bounded work; serialization (§4.1) is canonical, so a value re-serialized from its parsed
 * form is what both signer and verifier sign.
 */
public final class StructuredFields {
    /** Longest field value parsed. */
    public static final int FIELD_CHARS_MAX = 8192;
    /** Most members of a Dictionary or Inner List, and most parameters of one item. */
    public static final int MEMBERS_MAX = 64;
    private static final int INTEGER_DIGITS_MAX = 15;

    private StructuredFields() {
    }

    /** An RFC 8941 Token (an unquoted identifier such as {@code sha-256} or {@code *}). */
    public record Token(String value) {
        public Token {
            Objects.requireNonNull(value, "value");
            if (value.isEmpty() || !(isAlpha(value.charAt(0)) || value.charAt(0) == '*')
                    || !value.chars().allMatch(c -> isTchar(c) || c == ':' || c == '/')) {
                throw new IllegalArgumentException("not an RFC 8941 token");
            }
        }
    }

    /** An RFC 8941 Byte Sequence; holds a copy. */
    public record ByteSequence(byte[] bytes) {
        public ByteSequence {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ByteSequence other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "ByteSequence[" + bytes.length + " bytes]";
        }
    }

    /** A Dictionary member, an Inner List member or a Parameter's value holder: an Item or an Inner List. */
    public sealed interface Member permits Item, InnerList {
        Map<String, Object> parameters();
    }

    /**
     * A bare item (Long, String, {@link Token}, {@link ByteSequence} or Boolean) with its parameters in order.
     */
    public record Item(Object value, Map<String, Object> parameters) implements Member {
        public Item {
            requireBare(value);
            parameters = copyParameters(parameters);
        }

        public static Item of(Object value) {
            return new Item(value, Map.of());
        }
    }

    /** An Inner List: items with the list's own parameters in order. */
    public record InnerList(List<Item> items, Map<String, Object> parameters) implements Member {
        public InnerList {
            items = List.copyOf(items);
            parameters = copyParameters(parameters);
        }
    }

    private static Map<String, Object> copyParameters(Map<String, Object> parameters) {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        parameters.forEach((key, value) -> {
            requireKey(key);
            requireBare(value);
            copy.put(key, value);
        });
        return Collections.unmodifiableMap(copy);
    }

    private static void requireBare(Object value) {
        switch (value) {
            case Long l -> {
                if (Math.abs(l) > 999_999_999_999_999L) {
                    throw new IllegalArgumentException("an RFC 8941 integer has at most 15 digits");
                }
            }
            case String s -> {
                if (!s.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
                    throw new IllegalArgumentException("an RFC 8941 string holds printable ASCII only");
                }
            }
            case Token t -> {
            }
            case ByteSequence b -> {
            }
            case Boolean b -> {
            }
            case null, default -> throw new IllegalArgumentException("not an RFC 8941 bare item: "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        }
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty() || !(isLcalpha(key.charAt(0)) || key.charAt(0) == '*')
                || !key.chars().allMatch(c -> isLcalpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*')) {
            throw new IllegalArgumentException("not an RFC 8941 key");
        }
    }

    // ---- serialization (RFC 8941 §4.1) ----

    /** Serializes a Dictionary. */
    public static String serializeDictionary(Map<String, ? extends Member> dictionary) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, ? extends Member> entry : dictionary.entrySet()) {
            requireKey(entry.getKey());
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(entry.getKey());
            Member member = entry.getValue();
            if (member instanceof Item item && Boolean.TRUE.equals(item.value())) {
                serializeParameters(item.parameters(), out);
            } else {
                out.append('=');
                serializeMember(member, out);
            }
        }
        return out.toString();
    }

    /** Serializes an Item or an Inner List with its parameters. */
    public static String serialize(Member member) {
        StringBuilder out = new StringBuilder();
        serializeMember(member, out);
        return out.toString();
    }

    private static void serializeMember(Member member, StringBuilder out) {
        switch (member) {
            case Item item -> {
                serializeBare(item.value(), out);
                serializeParameters(item.parameters(), out);
            }
            case InnerList list -> {
                out.append('(');
                for (int i = 0; i < list.items().size(); i++) {
                    if (i > 0) {
                        out.append(' ');
                    }
                    serializeMember(list.items().get(i), out);
                }
                out.append(')');
                serializeParameters(list.parameters(), out);
            }
        }
    }

    private static void serializeParameters(Map<String, Object> parameters, StringBuilder out) {
        parameters.forEach((key, value) -> {
            out.append(';').append(key);
            if (!Boolean.TRUE.equals(value)) {
                out.append('=');
                serializeBare(value, out);
            }
        });
    }

    private static void serializeBare(Object value, StringBuilder out) {
        switch (value) {
            case Long l -> out.append(l);
            case String s -> {
                out.append('"');
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c == '"' || c == '\\') {
                        out.append('\\');
                    }
                    out.append(c);
                }
                out.append('"');
            }
            case Token t -> out.append(t.value());
            case ByteSequence b -> out.append(':').append(Base64.getEncoder().encodeToString(b.bytes)).append(':');
            case Boolean b -> out.append(b ? "?1" : "?0");
            default -> throw new IllegalArgumentException("not an RFC 8941 bare item");
        }
    }

    // ---- parsing (RFC 8941 §4.2) ----

    /** Parses a Dictionary field value; members keep their order; a repeated key keeps its last value (§4.2.2). */
    public static Map<String, Member> parseDictionary(String field) throws StructuredFieldException {
        Parser parser = new Parser(field);
        Map<String, Member> dictionary = parser.dictionary();
        return Collections.unmodifiableMap(dictionary);
    }

    /** A field value that is not a valid Structured Field of the expected type. */
    public static final class StructuredFieldException extends Exception {
        StructuredFieldException(String message) {
            super(message);
        }
    }

    private static final class Parser {
        private final String input;
        private int position;

        Parser(String input) throws StructuredFieldException {
            if (input == null) {
                throw new StructuredFieldException("the field is missing");
            }
            if (input.length() > FIELD_CHARS_MAX) {
                throw new StructuredFieldException("the field is longer than " + FIELD_CHARS_MAX + " characters");
            }
            this.input = input;
        }

        Map<String, Member> dictionary() throws StructuredFieldException {
            Map<String, Member> members = new LinkedHashMap<>();
            skipSpaces();
            if (atEnd()) {
                throw fail("an empty dictionary");
            }
            while (!atEnd()) {
                String key = key();
                Member member;
                if (peek() == '=') {
                    position++;
                    member = peek() == '(' ? innerList() : item();
                } else {
                    member = new Item(Boolean.TRUE, parameters());
                }
                members.remove(key);
                members.put(key, member);
                if (members.size() > MEMBERS_MAX) {
                    throw fail("more than " + MEMBERS_MAX + " members");
                }
                skipOptionalWhitespace();
                if (atEnd()) {
                    return members;
                }
                if (input.charAt(position++) != ',') {
                    throw fail("members must be separated by a comma");
                }
                skipOptionalWhitespace();
                if (atEnd()) {
                    throw fail("a trailing comma");
                }
            }
            return members;
        }

        InnerList innerList() throws StructuredFieldException {
            position++; // '('
            List<Item> items = new ArrayList<>();
            while (!atEnd()) {
                skipSpaces();
                if (peek() == ')') {
                    position++;
                    return new InnerList(items, parameters());
                }
                items.add(item());
                if (items.size() > MEMBERS_MAX) {
                    throw fail("more than " + MEMBERS_MAX + " items in an inner list");
                }
                char next = peek();
                if (next != ' ' && next != ')') {
                    throw fail("inner list items must be separated by a space");
                }
            }
            throw fail("an unterminated inner list");
        }

        Item item() throws StructuredFieldException {
            Object bare = bareItem();
            return new Item(bare, parameters());
        }

        Map<String, Object> parameters() throws StructuredFieldException {
            Map<String, Object> parameters = new LinkedHashMap<>();
            while (peek() == ';') {
                position++;
                skipSpaces();
                String key = key();
                Object value = Boolean.TRUE;
                if (peek() == '=') {
                    position++;
                    value = bareItem();
                }
                parameters.remove(key);
                parameters.put(key, value);
                if (parameters.size() > MEMBERS_MAX) {
                    throw fail("more than " + MEMBERS_MAX + " parameters");
                }
            }
            return parameters;
        }

        String key() throws StructuredFieldException {
            int start = position;
            if (atEnd() || !(isLcalpha(peek()) || peek() == '*')) {
                throw fail("a key must start with a lower-case letter or '*'");
            }
            while (!atEnd()) {
                char c = peek();
                if (!(isLcalpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*')) {
                    break;
                }
                position++;
            }
            return input.substring(start, position);
        }

        Object bareItem() throws StructuredFieldException {
            if (atEnd()) {
                throw fail("a missing value");
            }
            char c = peek();
            if (c == '-' || isDigit(c)) {
                return integer();
            }
            if (c == '"') {
                return string();
            }
            if (isAlpha(c) || c == '*') {
                return token();
            }
            if (c == ':') {
                return byteSequence();
            }
            if (c == '?') {
                return bool();
            }
            throw fail("an unknown kind of value");
        }

        Long integer() throws StructuredFieldException {
            int start = position;
            if (peek() == '-') {
                position++;
            }
            int digitsStart = position;
            while (!atEnd() && isDigit(peek())) {
                position++;
            }
            int digits = position - digitsStart;
            if (digits == 0 || digits > INTEGER_DIGITS_MAX) {
                throw fail("an integer has 1 to " + INTEGER_DIGITS_MAX + " digits");
            }
            if (!atEnd() && peek() == '.') {
                throw fail("decimals are not accepted here");
            }
            return Long.parseLong(input.substring(start, position));
        }

        String string() throws StructuredFieldException {
            position++; // '"'
            StringBuilder out = new StringBuilder();
            while (!atEnd()) {
                char c = input.charAt(position++);
                if (c == '\\') {
                    if (atEnd()) {
                        break;
                    }
                    char escaped = input.charAt(position++);
                    if (escaped != '"' && escaped != '\\') {
                        throw fail("only \\\" and \\\\ may be escaped in a string");
                    }
                    out.append(escaped);
                } else if (c == '"') {
                    return out.toString();
                } else if (c < 0x20 || c > 0x7e) {
                    throw fail("a string holds printable ASCII only");
                } else {
                    out.append(c);
                }
            }
            throw fail("an unterminated string");
        }

        Token token() {
            int start = position;
            while (!atEnd() && (isTchar(peek()) || peek() == ':' || peek() == '/')) {
                position++;
            }
            return new Token(input.substring(start, position));
        }

        ByteSequence byteSequence() throws StructuredFieldException {
            position++; // ':'
            int end = input.indexOf(':', position);
            if (end < 0) {
                throw fail("an unterminated byte sequence");
            }
            String encoded = input.substring(position, end);
            position = end + 1;
            if (!encoded.chars().allMatch(c -> isAlpha(c) || isDigit(c) || c == '+' || c == '/' || c == '=')) {
                throw fail("a byte sequence holds base64 only");
            }
            try {
                return new ByteSequence(Base64.getDecoder().decode(encoded.getBytes(StandardCharsets.US_ASCII)));
            } catch (IllegalArgumentException e) {
                throw fail("a byte sequence is not valid base64");
            }
        }

        Boolean bool() throws StructuredFieldException {
            position++; // '?'
            if (atEnd()) {
                throw fail("a boolean is ?0 or ?1");
            }
            char c = input.charAt(position++);
            if (c == '1') {
                return Boolean.TRUE;
            }
            if (c == '0') {
                return Boolean.FALSE;
            }
            throw fail("a boolean is ?0 or ?1");
        }

        private void skipSpaces() {
            while (!atEnd() && peek() == ' ') {
                position++;
            }
        }

        private void skipOptionalWhitespace() {
            while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
                position++;
            }
        }

        private boolean atEnd() {
            return position >= input.length();
        }

        private char peek() {
            return atEnd() ? '\0' : input.charAt(position);
        }

        private StructuredFieldException fail(String why) {
            return new StructuredFieldException("not a valid structured field (RFC 8941) at character " + position + ": " + why);
        }
    }

    private static boolean isLcalpha(int c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isAlpha(int c) {
        return isLcalpha(c) || c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isTchar(int c) {
        return isAlpha(c) || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
