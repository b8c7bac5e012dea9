package dev.capsule.runtime.view.wxss;

import com.helger.css.ECSSVersion;
import com.helger.css.decl.CascadingStyleSheet;
import com.helger.css.parser.ParseException;
import com.helger.css.parser.Token;
import com.helger.css.reader.CSSReader;
import com.helger.css.reader.CSSReaderSettings;
import com.helger.css.reader.errorhandler.ICSSParseErrorHandler;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One WXSS file to ph-css's model, strictly: the first syntax error refuses the file with its
 * position (WeChat's compiler also refuses a malformed stylesheet).
 */
final class SheetParser {
    private SheetParser() {
    }

    /** A parsed file: the model and the position map back to the original text. */
    record Parsed(String path, CascadingStyleSheet sheet, RpxLexer.Result lexed) {
    }

    static Parsed parse(String path, byte[] bytes, List<StyleWarning> warnings) throws WxssException {
        if (bytes.length > WxssCompiler.SHEET_BYTES_MAX) {
            throw new WxssException(path, 1, 1, "stylesheet is " + bytes.length + " bytes, more than "
                    + WxssCompiler.SHEET_BYTES_MAX);
        }
        String text = preprocess(path, bytes);
        RpxLexer.Result lexed = RpxLexer.rewrite(path, text);
        Failure failure = new Failure();
        CSSReaderSettings settings = new CSSReaderSettings()
                .setCSSVersion(ECSSVersion.CSS30)
                .setBrowserCompliantMode(false)
                .setKeepDeprecatedProperties(false)
                .setUseSourceLocation(true)
                .setCustomErrorHandler(new Strict(failure, path, lexed, warnings))
                .setCustomExceptionHandler(e -> failure.first(e.currentToken == null ? null : e.currentToken.next,
                        "syntax error"))
                .setInterpretErrorHandler(new com.helger.css.reader.errorhandler.ICSSInterpretErrorHandler() {
                    @Override
                    public void onCSSInterpretationWarning(String message) {
                        // ph-css notes what it normalizes; nothing a guest needs to see
                    }

                    @Override
                    public void onCSSInterpretationError(String message) {
                        failure.first(null, "the stylesheet cannot be interpreted");
                    }
                });
        CascadingStyleSheet sheet;
        try {
            sheet = CSSReader.readFromStringReader(lexed.text(), settings);
        } catch (RuntimeException e) {
            // A parser defect on hostile input is still a refusal, never a crash of pack.
            failure.first(null, "the CSS parser could not read this stylesheet");
            sheet = null;
        }
        if (failure.message != null) {
            Token at = failure.token;
            int line = at == null ? 1 : Math.max(1, at.beginLine);
            int column = at == null ? 1 : lexed.originalColumn(line, Math.max(1, at.beginColumn));
            String near = at == null || at.image == null || at.image.isEmpty() ? "" : " near " + Text.quote(at.image);
            throw new WxssException(path, line, column, failure.message + near);
        }
        if (sheet == null) {
            throw new WxssException(path, 1, 1, "syntax error");
        }
        return new Parsed(path, sheet, lexed);
    }

    /** UTF-8 (a byte order mark is skipped), CSS Syntax's preprocessing of line ends and NUL. */
    private static String preprocess(String path, byte[] bytes) throws WxssException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new WxssException(path, 1, 1, "stylesheet is not UTF-8");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return text.replace("\r\n", "\n").replace('\r', '\n').replace('\f', '\n').replace('\0', '\uFFFD');
    }

    private static final class Failure {
        Token token;
        String message;

        void first(Token at, String why) {
            if (message == null) {
                token = at;
                message = why;
            }
        }
    }

    private record Strict(Failure failure, String path, RpxLexer.Result lexed, List<StyleWarning> warnings)
            implements ICSSParseErrorHandler {
        @Override
        public void onCSSParseError(ParseException e, Token lastValid) throws ParseException {
            failure.first(e.currentToken == null ? lastValid : e.currentToken.next, "syntax error");
            throw e;
        }

        @Override
        public void onCSSUnexpectedRule(Token at, String rule, String message) throws ParseException {
            failure.first(at, Text.quote(rule) + " is not allowed here");
            throw new ParseException(message);
        }

        @Override
        public void onCSSDeprecatedProperty(Token prefix, Token name) {
            warnings.add(new StyleWarning(path, Math.max(1, prefix.beginLine),
                    "dropped the browser hack property " + Text.quote(prefix.image + name.image)));
        }

        @Override
        public void onCSSBrowserCompliantSkip(ParseException e, Token from, Token to) throws ParseException {
            failure.first(from, "syntax error");
            throw e;
        }

        @Override
        public void onIllegalCharacter(char c) {
            failure.first(null, "illegal character U+" + String.format("%04X", (int) c));
        }
    }
}
