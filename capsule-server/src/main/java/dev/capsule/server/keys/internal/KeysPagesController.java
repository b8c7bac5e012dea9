package dev.capsule.server.keys.internal;

import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's keys pages (server-rendered, no script, forms with the CSRF token), for security officers exactly like
 * {@code /api/v1/keys} ({@link KeysController}): every platform key with its status and the recent rotations; rotating a
 * purpose (permission {@code keys.manage} with step-up, the same {@link KeyRotations#start} with the same acting
 * operator, so the same {@code key.rotate} audit entry); and a rotation's progress page, which reloads itself every
 * {@value #REFRESH_SECONDS} s while the re-wrap runs (an HTML refresh, not a script). A refused rotation (one already
 * running) comes back to the list with its problem's code.
 *
 * <p>Security guarantees: never key material, only ids, statuses and counts; the purpose in a path is checked against
 * the closed set of purposes before anything else happens; a refusal code from the query string is printed only when it
 * has a code's form.
 */
@Controller
class KeysPagesController {
    static final String KEYS = "/console/keys";
    /** How often the progress page of a running rotation reloads itself. */
    static final int REFRESH_SECONDS = 2;

    private final KeyRotations rotations;
    private final KeyInventory inventory;

    KeysPagesController(KeyRotations rotations, KeyInventory inventory) {
        this.rotations = rotations;
        this.inventory = inventory;
    }

    /** A purpose as the rotate form lists it. */
    record PurposeView(String code, String kind) {
    }

    @GetMapping(KEYS)
    @RequiresPermission(Permission.KEYS_MANAGE)
    String keys(@RequestParam(name = "refused", required = false) String refused, Model model) {
        model.addAttribute("keys", inventory.all());
        model.addAttribute("rotations", rotations.recent());
        model.addAttribute("purposes", KeyPurpose.all().stream().map(purpose -> new PurposeView(purpose.code(), switch (purpose) {
            case KeyPurpose.Data data -> "data";
            case KeyPurpose.Signing signing -> "signing";
        })).toList());
        model.addAttribute("refused", refused != null && refused.matches("[a-z][a-z0-9-]{0,62}") ? refused : null);
        return "console/keys";
    }

    @PostMapping(KEYS + "/{purpose}/rotations")
    @RequiresPermission(value = Permission.KEYS_MANAGE, stepUp = true)
    String rotate(@PathVariable("purpose") String purpose) {
        if (!purpose.matches(KeysController.PURPOSE)) {
            throw new ProblemException(ProblemType.VALIDATION, "a key purpose is a lower-case code");
        }
        KeyPurpose keyPurpose = KeyRotations.purpose(purpose);
        try {
            RotationStatus started = rotations.start(keyPurpose, KeyEventPublisher.actor().orElse(null));
            return "redirect:" + KEYS + "/rotations/" + started.id();
        } catch (ProblemException refused) {
            return "redirect:" + KEYS + "?refused=" + refused.type().slug();
        }
    }

    /** A rotation's progress as the page shows it. */
    record Progress(RotationStatus status, int percent, boolean running) {
    }

    @GetMapping(KEYS + "/rotations/{id}")
    @RequiresPermission(Permission.KEYS_MANAGE)
    String rotation(@PathVariable("id") UUID id, Model model) {
        RotationStatus status = rotations.status(id).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no key rotation " + id));
        model.addAttribute("progress", new Progress(status, (int) Math.floor(status.progress() * 100), !status.finished()));
        model.addAttribute("refreshSeconds", REFRESH_SECONDS);
        model.addAttribute("keysOfPurpose", inventory.all().stream().filter(key -> key.purpose().equals(status.purpose())).toList());
        return "console/key-rotation";
    }
}
