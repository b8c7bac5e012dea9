package dev.capsule.server.audit.internal;

import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import java.time.Clock;
import java.util.Arrays;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /console/dashboard}: sessions opened, violations by kind and denials over time, counted from the audit log
 * ({@link AuditStatistics}), so it needs what reading the log needs ({@code audit.read}). The numbers are server-rendered
 * tables (the page works without JavaScript); {@code /console/dashboard.js}, an external script, draws them as uPlot
 * charts from those same tables (uPlot from the server's own webjar, never a CDN). No inline script or style.
 */
@Controller
class DashboardController {
    static final String DASHBOARD = "/console/dashboard";
    /** The uPlot build the page loads, served by the server from the webjar (org.webjars.npm:uplot). */
    static final String UPLOT = "/webjars/uplot/1.6.30/dist/";

    private final AuditStatistics statistics;
    private final Clock clock = Clock.systemUTC();

    DashboardController(AuditStatistics statistics) {
        this.statistics = statistics;
    }

    @GetMapping(DASHBOARD)
    @RequiresPermission(Permission.AUDIT_READ)
    String dashboard(@RequestParam(name = "range", defaultValue = "24h") String range, Model model) {
        AuditStatistics.Range chosen = AuditStatistics.Range.fromCode(range);
        model.addAttribute("dashboard", statistics.dashboard(chosen, clock.instant()));
        model.addAttribute("ranges", Arrays.asList(AuditStatistics.Range.values()));
        model.addAttribute("uplot", UPLOT);
        return "console/dashboard";
    }
}
