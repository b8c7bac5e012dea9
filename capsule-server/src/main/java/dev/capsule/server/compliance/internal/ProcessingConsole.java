package dev.capsule.server.compliance.internal;

import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.compliance.ProcessingRecords;
import dev.capsule.server.platform.ConsolePage;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's records of processing ({@code /console/compliance/processing}, {@code audit.read} like the API): the
 * same generated record, as a page. A refusal (no controller configured, a missing permission) is a console page with
 * the API's status ({@link ConsolePage}).
 *
 * <p>Security guarantees: read-only, no script; every value — capsule.json text is developer-written — is printed
 * through {@code th:text}, so markup in a purpose or a name is shown as text.
 */
@Controller
@ConsolePage
class ProcessingConsole {
    static final String PAGE = "/console/compliance/processing";

    private final ProcessingRecords records;

    ProcessingConsole(ProcessingRecords records) {
        this.records = records;
    }

    @GetMapping(PAGE)
    @RequiresPermission(Permission.AUDIT_READ)
    String processing(@RequestParam(name = "after", required = false) String after, Model model) {
        model.addAttribute("record", records.generate(ProcessingController.after(after)));
        return "console/processing";
    }
}
