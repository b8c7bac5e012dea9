package dev.capsule.server.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No browser code Capsule ships (every {@code .js} under the server's static resources) uses an HTML parsing sink,
 * dynamic code or a string timer: {@code innerHTML}, {@code outerHTML}, {@code insertAdjacentHTML},
 * {@code document.write}, {@code eval}, {@code Function}, {@code setTimeout}/{@code setInterval} with a string,
 * {@code createContextualFragment}, {@code DOMParser}, {@code srcdoc}, {@code javascript:} URLs or {@code on*}
 * handler attributes set as strings. Comments are skipped so prose may name them.
 */
class ShellScriptSinksTest {
    static final Path STATIC = Path.of("src", "main", "resources", "static");
    static final Pattern SINKS = Pattern.compile(
            "\\.(innerHTML|outerHTML)\\b|\\binsertAdjacentHTML\\b|\\bdocument\\s*\\.\\s*(write|writeln)\\b|\\beval\\s*\\("
                    + "|\\bnew\\s+Function\\b|(?<![.\\w])Function\\s*\\(|\\bset(Timeout|Interval)\\s*\\(\\s*['\"`]|\\bcreateContextualFragment\\b"
                    + "|\\bDOMParser\\b|\\bsrcdoc\\b|['\"`]\\s*javascript:|setAttribute\\s*\\(\\s*['\"`]on");

    /** The lines of {@code source} that use a sink, as {@code line: text}; comments are removed first. */
    static List<String> sinks(String source) {
        String code = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL).matcher(source)
                .replaceAll(m -> m.group().replaceAll("[^\\n]", " "));
        var found = new ArrayList<String>();
        String[] lines = code.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].replaceFirst("^\\s*//.*$", "");
            if (SINKS.matcher(line).find()) {
                found.add((i + 1) + ": " + line.strip());
            }
        }
        return found;
    }

    @Test
    void theShippedScriptsUseNoHtmlSinkDynamicCodeOrStringTimer() throws IOException {
        List<Path> scripts;
        try (Stream<Path> files = Files.walk(STATIC)) {
            scripts = files.filter(p -> p.toString().endsWith(".js")).sorted().toList();
        }
        assertThat(scripts).as("shell.js is shipped").contains(STATIC.resolve("shell").resolve("shell.js"));
        for (Path script : scripts) {
            assertThat(sinks(Files.readString(script, StandardCharsets.UTF_8))).as(script.toString()).isEmpty();
        }
    }

    /** shell.js writes exactly the attributes the runtime's projection may send: neither list can grow alone. */
    @Test
    void theShellsAttributeAllowlistIsBrowserViewsAttributeList() throws IOException {
        String source = Files.readString(STATIC.resolve("shell").resolve("shell.js"), StandardCharsets.UTF_8);
        int start = source.indexOf("const ATTRIBUTES = new Map([");
        assertThat(start).as("shell.js has its attribute allowlist").isPositive();
        String block = source.substring(start, source.indexOf("]);", start));
        var names = new java.util.TreeSet<String>();
        var entry = Pattern.compile("(?m)^\\s*\\['([a-z-]+)',").matcher(block);
        while (entry.find()) {
            names.add(entry.group(1));
        }
        assertThat(names).isEqualTo(new java.util.TreeSet<>(dev.capsule.runtime.view.BrowserView.ATTRIBUTES));
    }

    @Test
    void theCheckFindsEachSinkAndIgnoresComments() {
        for (String bad : List.of("a.innerHTML = x;", "b.outerHTML = y;", "c.insertAdjacentHTML('beforeend', s);", "document.write(s);",
                "document . writeln(s);", "eval(code);", "new Function('return 1');", "const f = Function('x');", "setTimeout('go()', 1);",
                "setInterval(\"go()\", 1);", "range.createContextualFragment(s);", "new DOMParser();", "frame.srcdoc = s;",
                "a.href = 'javascript:void(0)';", "el.setAttribute('onclick', s);")) {
            assertThat(sinks("const ok = 1;\n" + bad)).as(bad).containsExactly("2: " + bad);
        }
        assertThat(sinks("// never innerHTML or eval(x)\n/* document.write(x) and\n el.innerHTML = f */\nsetTimeout(() => go(), 1);\n"
                + "button.addEventListener('click', f);\nnode.textContent = s;")).isEmpty();
    }
}
