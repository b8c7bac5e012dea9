package dev.capsule.runtime.view.wxss;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small packages of WXSS for tests. */
final class Sheets {
    private Sheets() {
    }

    /** Alternating path, text pairs. */
    static Map<String, byte[]> files(String... pathsAndTexts) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndTexts.length; i += 2) {
            files.put(pathsAndTexts[i], pathsAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    /** The compiled CSS of {@code pages/p/p.wxss} holding {@code text}. */
    static String page(String text) throws WxssException {
        return WxssCompiler.compilePackage(files("pages/p/p.wxss", text)).sheet("pages/p/p").orElseThrow().css();
    }

    static StyleSet compile(String... pathsAndTexts) throws WxssException {
        return WxssCompiler.compilePackage(files(pathsAndTexts));
    }

    /** The scope class of the test page. */
    static final String S = StyleSet.scopeClass("pages/p/p");
}
