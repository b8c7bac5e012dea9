package dev.capsule.server.host.internal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;

/**
 * The shell session cookie: {@value #NAME}, {@code Secure; HttpOnly; SameSite=Strict; Path=/}. The {@code __Host-}
 * prefix makes browsers refuse it unless it is Secure, set over HTTPS, without a Domain and with Path=/, so no
 * sibling host or plain-HTTP page can plant or read it.
 */
public final class ShellCookie {
    public static final String NAME = "__Host-capsule-shell";

    private ShellCookie() {
    }

    /** Sets the cookie for a session just started, living as long as the session. */
    public static void set(HttpServletResponse response, ShellSignIn.Entered entered, long seconds) {
        response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(NAME, entered.cookieToken())
                .secure(true).httpOnly(true).sameSite("Strict").path("/").maxAge(seconds).build().toString());
    }

    /** Removes the cookie from the browser. */
    public static void clear(HttpServletResponse response) {
        response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(NAME, "")
                .secure(true).httpOnly(true).sameSite("Strict").path("/").maxAge(0).build().toString());
    }

    /** The cookie's token in a request (the first one), if any. */
    public static Optional<String> token(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (NAME.equals(cookie.getName())) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }
}
