package dev.capsule.server.ledger.internal;

import dev.capsule.core.text.SafeText;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.ledger.AccountId;
import dev.capsule.server.platform.ConsolePage;
import dev.capsule.server.platform.ProblemException;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's ledger page ({@code /console/ledger}, {@code payments.read} like the API): accounts a page at a time,
 * an account with its newest transfers, and a verification run (the API's {@code POST /api/v1/ledger/verifications},
 * audited the same way).
 *
 * <p>Security guarantees: read-only except for the verification, which changes nothing but the audit log; every
 * stored text (an account's user data) is escaped by {@link SafeText} and printed through {@code th:text}.
 */
@Controller
@ConsolePage
class LedgerConsoleController {
    static final String LEDGER = "/console/ledger";
    static final int PAGE_ROWS = 100;

    private final JdbcLedger ledger;
    private final LedgerVerifications verifications;

    LedgerConsoleController(JdbcLedger ledger, LedgerVerifications verifications) {
        this.ledger = ledger;
        this.verifications = verifications;
    }

    /** An account as the page shows it. */
    record Row(String id, int ledger, int code, String flags, String userData, long debitsPosted, long creditsPosted, long debitsPending,
            long creditsPending, long balance) {
        static Row of(LedgerViews.AccountView a) {
            return new Row(a.id(), a.ledger(), a.code(), String.join(" ", a.flags()), SafeText.escape(a.userData()), a.debitsPosted(),
                    a.creditsPosted(), a.debitsPending(), a.creditsPending(), a.creditBalance());
        }
    }

    record TransferRow(String id, String debitAccount, String creditAccount, long amount, String pendingId, int code, String flags,
            String state, String userData, String created) {
        static TransferRow of(LedgerViews.TransferView t) {
            return new TransferRow(t.id(), t.debitAccount(), t.creditAccount(), t.amount(), t.pendingId() == null ? "" : t.pendingId(), t.code(),
                    String.join(" ", t.flags()), t.state(), SafeText.escape(t.userData()), t.created().toString());
        }
    }

    @GetMapping(LEDGER)
    @RequiresPermission(Permission.PAYMENTS_READ)
    String accounts(@RequestParam(name = "after", required = false) String after, Model model) {
        Optional<AccountId> from = Optional.ofNullable(after).filter(text -> !text.isEmpty()).map(LedgerViews::accountId);
        List<Row> rows = ledger.accounts(Optional.empty(), from, PAGE_ROWS).stream().map(LedgerViews.AccountView::of).map(Row::of).toList();
        model.addAttribute("accounts", rows);
        model.addAttribute("next", rows.size() == PAGE_ROWS ? rows.getLast().id() : null);
        model.addAttribute("result", null);
        return "console/ledger";
    }

    @GetMapping(LEDGER + "/accounts/{id}")
    @RequiresPermission(Permission.PAYMENTS_READ)
    String account(@PathVariable("id") String id, Model model) {
        AccountId account = LedgerViews.accountId(id);
        LedgerViews.AccountView view = ledger.account(account).map(LedgerViews.AccountView::of)
                .orElseThrow(() -> new ProblemException(LedgerProblems.ACCOUNT_NOT_FOUND, "no ledger account " + account));
        model.addAttribute("account", Row.of(view));
        model.addAttribute("transfers", ledger.transfers(account, PAGE_ROWS).stream().map(LedgerViews.TransferView::of).map(TransferRow::of).toList());
        return "console/ledger-account";
    }

    /** Runs a verification and shows the result above the first page of accounts. */
    @PostMapping(LEDGER + "/verification")
    @RequiresPermission(Permission.PAYMENTS_READ)
    String verify(Model model) {
        model.addAttribute("result", LedgerController.Verification.of(verifications.run()));
        List<Row> rows = ledger.accounts(Optional.empty(), Optional.empty(), PAGE_ROWS).stream().map(LedgerViews.AccountView::of).map(Row::of).toList();
        model.addAttribute("accounts", rows);
        model.addAttribute("next", rows.size() == PAGE_ROWS ? rows.getLast().id() : null);
        return "console/ledger";
    }

}
