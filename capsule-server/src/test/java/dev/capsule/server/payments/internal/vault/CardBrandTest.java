package dev.capsule.server.payments.internal.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Brands from the networks' BIN ranges, including the edges of each range. */
class CardBrandTest {
    @Test
    void binRangesGiveTheirBrands() {
        assertThat(CardBrand.of("411111")).isEqualTo(CardBrand.VISA);
        assertThat(CardBrand.of("510000")).isEqualTo(CardBrand.MASTERCARD);
        assertThat(CardBrand.of("559999")).isEqualTo(CardBrand.MASTERCARD);
        assertThat(CardBrand.of("222100")).isEqualTo(CardBrand.MASTERCARD);
        assertThat(CardBrand.of("272099")).isEqualTo(CardBrand.MASTERCARD);
        assertThat(CardBrand.of("272100")).isEqualTo(CardBrand.UNKNOWN);
        assertThat(CardBrand.of("222099")).isEqualTo(CardBrand.UNKNOWN);
        assertThat(CardBrand.of("560000")).isEqualTo(CardBrand.UNKNOWN);
        assertThat(CardBrand.of("340000")).isEqualTo(CardBrand.AMEX);
        assertThat(CardBrand.of("370000")).isEqualTo(CardBrand.AMEX);
        assertThat(CardBrand.of("352800")).isEqualTo(CardBrand.JCB);
        assertThat(CardBrand.of("358999")).isEqualTo(CardBrand.JCB);
        assertThat(CardBrand.of("359000")).isEqualTo(CardBrand.UNKNOWN);
        assertThat(CardBrand.of("621234")).isEqualTo(CardBrand.UNIONPAY);
        assertThat(CardBrand.of("601100")).isEqualTo(CardBrand.DISCOVER);
        assertThat(CardBrand.of("644000")).isEqualTo(CardBrand.DISCOVER);
        assertThat(CardBrand.of("650000")).isEqualTo(CardBrand.DISCOVER);
        assertThat(CardBrand.of("643999")).isEqualTo(CardBrand.UNKNOWN);
        assertThat(CardBrand.of("999999").code()).isEqualTo("unknown");
    }

    @Test
    void onlySixDigitsAreABin() {
        assertThatThrownBy(() -> CardBrand.of("41111")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CardBrand.of("41111a")).isInstanceOf(IllegalArgumentException.class);
    }
}
