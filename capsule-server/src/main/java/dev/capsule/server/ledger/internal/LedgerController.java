package dev.capsule.server.ledger.internal;

import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.ledger.AccountId;
import dev.capsule.server.ledger.LedgerCheck;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator API of the ledger, read-only plus verification, under {@code payments.read}: accounts a page at a time,
 * one account, its transfers, one transfer, and a verification of every invariant (audited as {@code ledger.verify}).
 *
 * <p>Security guarantees: nothing here changes the ledger (money moves only through the payments module's flows);
 * ids are parsed into typed values before any query; every answer is re-serialized from the stored values.
 */
@RestController
@Tag(name = "Ledger")
class LedgerController {
    private final JdbcLedger ledger;
    private final LedgerVerifications verifications;

    LedgerController(JdbcLedger ledger, LedgerVerifications verifications) {
        this.ledger = ledger;
        this.verifications = verifications;
    }

    record AccountPage(List<LedgerViews.AccountView> accounts, String next) {
    }

    record Transfers(List<LedgerViews.TransferView> transfers) {
    }

    @GetMapping(path = "/api/v1/ledger/accounts", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.PAYMENTS_READ)
    @Operation(summary = "Accounts in id order, of one ledger (ISO 4217 numeric code) when given; startingAfter an account id; limit 1-"
            + JdbcLedger.ACCOUNTS_PAGE_MAX + " (default 100); next is the startingAfter of the next page, or null")
    AccountPage accounts(@RequestParam(name = "ledger", required = false) Integer ledgerCode,
            @RequestParam(name = "startingAfter", required = false) String startingAfter,
            @RequestParam(name = "limit", defaultValue = "100") int limit) {
        if (limit < 1 || limit > JdbcLedger.ACCOUNTS_PAGE_MAX) {
            throw new ProblemException(ProblemType.VALIDATION, "limit is 1 to " + JdbcLedger.ACCOUNTS_PAGE_MAX);
        }
        if (ledgerCode != null && ledgerCode <= 0) {
            throw new ProblemException(ProblemType.VALIDATION, "ledger is a positive ISO 4217 numeric code");
        }
        Optional<AccountId> after = Optional.ofNullable(startingAfter).map(LedgerViews::accountId);
        List<LedgerViews.AccountView> page = ledger.accounts(Optional.ofNullable(ledgerCode), after, limit).stream()
                .map(LedgerViews.AccountView::of).toList();
        return new AccountPage(page, page.size() == limit ? page.getLast().id() : null);
    }

    @GetMapping(path = "/api/v1/ledger/accounts/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.PAYMENTS_READ)
    @Operation(summary = "One account with its running balances")
    LedgerViews.AccountView account(@PathVariable("id") String id) {
        return ledger.account(LedgerViews.accountId(id)).map(LedgerViews.AccountView::of)
                .orElseThrow(() -> new ProblemException(LedgerProblems.ACCOUNT_NOT_FOUND, "no ledger account " + id));
    }

    @GetMapping(path = "/api/v1/ledger/accounts/{id}/transfers", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.PAYMENTS_READ)
    @Operation(summary = "The account's transfers, newest first; limit 1-" + JdbcLedger.TRANSFERS_PAGE_MAX + " (default 100)")
    Transfers transfers(@PathVariable("id") String id, @RequestParam(name = "limit", defaultValue = "100") int limit) {
        if (limit < 1 || limit > JdbcLedger.TRANSFERS_PAGE_MAX) {
            throw new ProblemException(ProblemType.VALIDATION, "limit is 1 to " + JdbcLedger.TRANSFERS_PAGE_MAX);
        }
        AccountId account = LedgerViews.accountId(id);
        if (ledger.account(account).isEmpty()) {
            throw new ProblemException(LedgerProblems.ACCOUNT_NOT_FOUND, "no ledger account " + id);
        }
        return new Transfers(ledger.transfers(account, limit).stream().map(LedgerViews.TransferView::of).toList());
    }

    @GetMapping(path = "/api/v1/ledger/transfers/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.PAYMENTS_READ)
    @Operation(summary = "One transfer and, for a pending one, where it stands now")
    LedgerViews.TransferView transfer(@PathVariable("id") String id) {
        return ledger.transfer(LedgerViews.transferId(id)).map(LedgerViews.TransferView::of)
                .orElseThrow(() -> new ProblemException(LedgerProblems.TRANSFER_NOT_FOUND, "no ledger transfer " + id));
    }

    @PostMapping(path = "/api/v1/ledger/verifications", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.PAYMENTS_READ)
    @Operation(summary = "Check every ledger invariant now, in one snapshot (as capsule ledger verify does); 200 with ok, counts and up to "
            + LedgerCheck.PROBLEMS_MAX + " problems; audited as ledger.verify")
    Verification verify() {
        return Verification.of(verifications.run());
    }

    record Verification(boolean ok, long accounts, long transfers, List<String> problems) {
        static Verification of(LedgerCheck check) {
            return new Verification(check.ok(), check.accounts(), check.transfers(), check.problems());
        }
    }
}
