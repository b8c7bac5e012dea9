package dev.capsule.server.host.internal;

import dev.capsule.server.payments.PayerId;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import tools.jackson.databind.node.ObjectNode;

/**
 * Registering and removing a shell user's passkeys from {@code /shell/settings} ({@code /shell/passkeys.js} drives
 * {@code navigator.credentials.create}): {@code POST /shell/passkeys/options} answers the creation options with a fresh
 * challenge, {@code POST /shell/passkeys} verifies and keeps the new credential, {@code POST /shell/passkeys/remove}
 * (a form) removes one.
 *
 * <p>Security guarantees: each request comes from this server's own origin with the shell session's CSRF token (header
 * for the script's requests, field for the form); the origin a passkey is bound to is that checked origin; bodies are
 * bounded ({@link ShellPasskeys#RESPONSE_CHARS_MAX}); the payer is the session's user.
 */
@Controller
class ShellPasskeyController {
    private final ShellPasskeys passkeys;
    private final Placements placements;

    ShellPasskeyController(ShellPasskeys passkeys, Placements placements) {
        this.passkeys = passkeys;
        this.placements = placements;
    }

    @PostMapping(path = ShellPaths.PASSKEY_OPTIONS, produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    ObjectNode options(HttpServletRequest request) {
        ShellSignIn.ShellSession session = ShellForms.requireSessionRequest(request);
        placements.requireHomeForPayments(session.principal());
        return passkeys.registrationOptions(payer(session), request.getHeader("Origin"));
    }

    @PostMapping(path = ShellPaths.PASSKEYS, produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    ResponseEntity<ObjectNode> register(HttpServletRequest request) throws IOException {
        ShellSignIn.ShellSession session = ShellForms.requireSessionRequest(request);
        placements.requireHomeForPayments(session.principal());
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(ShellPasskeys.RESPONSE_CHARS_MAX + 1);
        }
        passkeys.register(payer(session), request.getHeader("Origin"), new String(body, StandardCharsets.UTF_8));
        return ResponseEntity.status(HttpStatus.CREATED).body(Wire.object().put("registered", true));
    }

    @PostMapping(ShellPaths.PASSKEY_REMOVE)
    String remove(@RequestParam(name = "id", required = false) String id, HttpServletRequest request) {
        ShellSignIn.ShellSession session = ShellForms.requireSessionForm(request);
        if (id != null && id.length() <= 2048) {
            passkeys.remove(payer(session), id);
        }
        return "redirect:" + ShellPaths.SETTINGS;
    }

    private static PayerId payer(ShellSignIn.ShellSession session) {
        return PayerRefs.payer(session.principal().user());
    }
}
