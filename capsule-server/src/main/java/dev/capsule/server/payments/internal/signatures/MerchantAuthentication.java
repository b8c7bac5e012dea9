package dev.capsule.server.payments.internal.signatures;

import dev.capsule.server.payments.internal.MerchantPrincipal;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A request authenticated by a merchant's verified signature; holds no credentials. */
final class MerchantAuthentication extends AbstractAuthenticationToken {
    private final MerchantPrincipal merchant;

    MerchantAuthentication(MerchantPrincipal merchant) {
        super(List.of());
        this.merchant = merchant;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public MerchantPrincipal getPrincipal() {
        return merchant;
    }
}
