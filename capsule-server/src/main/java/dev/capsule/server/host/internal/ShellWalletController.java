package dev.capsule.server.host.internal;

import dev.capsule.server.payments.CardToken;
import dev.capsule.server.payments.CardView;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentCards;
import dev.capsule.server.payments.Wallets;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The shell's wallet page, {@code /shell/wallet}: the user's wallet balances ({@link Wallets}) and saved cards per
 * merchant ({@link PaymentCards}, merchants from the payment sheets the user opened), each removable. Server-rendered,
 * no script; every text escaped.
 *
 * <p>Security guarantees: only the signed-in user's own balances and cards (the payer is the session's user); a card
 * is shown as brand, last four and expiry only; removing one is a form with the session's CSRF token from this
 * server's own origin, and names the merchant and token (a token of another payer or merchant is not removed and the
 * answer is the same page).
 */
@Controller
class ShellWalletController {
    /** Saved cards listed per merchant at most. */
    static final int CARDS_PER_MERCHANT_MAX = 20;

    record Balance(String currency, String display) {
    }

    record MerchantCards(String id, String name, List<CardView> cards) {
    }

    private final ObjectProvider<Wallets> wallets;
    private final ObjectProvider<PaymentCards> cards;
    private final PaymentMerchants merchants;
    private final HostSettings settings;
    private final Placements placements;

    ShellWalletController(ObjectProvider<Wallets> wallets, ObjectProvider<PaymentCards> cards, PaymentMerchants merchants,
            HostSettings settings, Placements placements) {
        this.placements = placements;
        this.wallets = wallets;
        this.cards = cards;
        this.merchants = merchants;
        this.settings = settings;
    }

    @GetMapping(ShellPaths.WALLET)
    String wallet(HttpServletRequest request, Model model) {
        ShellSignIn.ShellSession session = ShellForms.session(request);
        model.addAttribute("demo", session.principal().demo() || settings.demoUsers());
        model.addAttribute("csrf", session.csrfToken());
        Wallets balances = wallets.getIfAvailable();
        PaymentCards vault = cards.getIfAvailable();
        // Payments are kept in the home region only (docs/residency.md): a person of another region has none.
        boolean home = placements.paymentsAllowed(session.principal());
        model.addAttribute("available", balances != null && vault != null && home);
        model.addAttribute("otherRegion", !home);
        if (balances == null || vault == null || !home) {
            return "shell/wallet";
        }
        PayerId payer = PayerRefs.payer(session.principal().user());
        model.addAttribute("balances", balances.balances(payer).entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new Balance(e.getKey(), Wire.money(e.getValue(), e.getKey()).get("decimal").stringValue())).toList());
        List<MerchantCards> listed = new ArrayList<>();
        for (PaymentMerchants.Merchant merchant : merchants.of(payer)) {
            List<CardView> saved = vault.list(payer, merchant.id(), CARDS_PER_MERCHANT_MAX);
            if (!saved.isEmpty()) {
                listed.add(new MerchantCards(merchant.id().value(), merchant.name(), saved));
            }
        }
        model.addAttribute("merchants", listed);
        return "shell/wallet";
    }

    @PostMapping(ShellPaths.REMOVE_CARD)
    String remove(@RequestParam(name = "merchant", required = false) String merchant,
            @RequestParam(name = "token", required = false) String token, HttpServletRequest request) {
        ShellSignIn.ShellSession session = ShellForms.requireSessionForm(request);
        placements.requireHomeForPayments(session.principal());
        PaymentCards vault = cards.getIfAvailable();
        if (vault == null) {
            throw new ProblemException(HostProblems.PAYMENTS_UNAVAILABLE, "this server has no card vault");
        }
        MerchantId id = MerchantId.parse(merchant)
                .orElseThrow(() -> new ProblemException(ProblemType.VALIDATION, "merchant: a merchant id (mch_…)"));
        CardToken card = CardToken.parse(token)
                .orElseThrow(() -> new ProblemException(ProblemType.VALIDATION, "token: a card token (tok_…)"));
        vault.remove(PayerRefs.payer(session.principal().user()), id, card);
        return "redirect:" + ShellPaths.WALLET;
    }
}
