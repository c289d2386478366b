package io.iotpm.core.time;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    @Test
    void delay_growsByTheMultiplier_upToMaxDelay() {
        Backoff b = Backoff.builder(Duration.ofMillis(100)).maxDelay(Duration.ofMillis(1000)).build();
        List<Duration> delays = new ArrayList<>();
        for (int attempt = 1; attempt <= 6; attempt++) {
            delays.add(b.delay(attempt));
        }
        assertThat(delays).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(800), Duration.ofMillis(1000), Duration.ofMillis(1000));
    }

    @Test
    void delay_withMultiplierOne_isFixed() {
        Backoff b = Backoff.builder(Duration.ofSeconds(3)).multiplier(1).build();
        assertThat(b.delay(1)).isEqualTo(Duration.ofSeconds(3));
        assertThat(b.delay(1000)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void delay_withoutCap_saturatesInsteadOfOverflowing() {
        Backoff b = Backoff.builder(Duration.ofSeconds(1)).build();
        assertThat(b.delay(21)).isEqualTo(Duration.ofSeconds(1L << 20));
        assertThat(b.delay(Integer.MAX_VALUE)).isEqualTo(Backoff.MAX_DELAY);
        assertThat(Backoff.builder(Duration.ZERO).build().delay(50)).isEqualTo(Duration.ZERO);
    }

    @Test
    void delay_isAPureFunctionOfTheAttempt() {
        Backoff b = Backoff.builder(Duration.ofMillis(10)).multiplier(1.5).jitter(0.5, 42).build();
        Backoff same = Backoff.builder(Duration.ofMillis(10)).multiplier(1.5).jitter(0.5, 42).build();
        assertThat(same).isEqualTo(b);
        for (int attempt = 1; attempt <= 20; attempt++) {
            assertThat(b.delay(attempt)).isEqualTo(b.delay(attempt)).isEqualTo(same.delay(attempt));
        }
    }

    @Test
    void jitter_shortensEachDelayByAtMostItsFraction_andSpreadsAcrossSeeds() {
        Backoff plain = Backoff.builder(Duration.ofMillis(100)).maxDelay(Duration.ofSeconds(10)).build();
        Backoff seeded = Backoff.builder(Duration.ofMillis(100)).maxDelay(Duration.ofSeconds(10)).jitter(0.5, 1).build();
        Backoff other = Backoff.builder(Duration.ofMillis(100)).maxDelay(Duration.ofSeconds(10)).jitter(0.5, 2).build();
        int differ = 0;
        for (int attempt = 1; attempt <= 10; attempt++) {
            Duration full = plain.delay(attempt);
            assertThat(seeded.delay(attempt)).isBetween(full.dividedBy(2), full);
            if (!seeded.delay(attempt).equals(other.delay(attempt))) {
                differ++;
            }
        }
        assertThat(differ).isGreaterThan(5);
    }

    @Test
    void allowsRetry_untilMaxAttempts() {
        Backoff three = Backoff.builder(Duration.ofMillis(1)).maxAttempts(3).build();
        assertThat(three.allowsRetry(1)).isTrue();
        assertThat(three.allowsRetry(2)).isTrue();
        assertThat(three.allowsRetry(3)).isFalse();
        assertThat(Backoff.builder(Duration.ofMillis(1)).maxAttempts(1).build().allowsRetry(1)).isFalse();
        assertThat(Backoff.builder(Duration.ofMillis(1)).build().allowsRetry(Integer.MAX_VALUE - 1)).isTrue();
    }

    @Test
    void builder_isReusable() {
        Backoff.Builder builder = Backoff.builder(Duration.ofMillis(5));
        Backoff first = builder.build();
        Backoff capped = builder.maxDelay(Duration.ofMillis(7)).build();
        assertThat(first.maxDelay()).isEqualTo(Backoff.MAX_DELAY);
        assertThat(capped.maxDelay()).isEqualTo(Duration.ofMillis(7));
        assertThat(first.multiplier()).isEqualTo(Backoff.DEFAULT_MULTIPLIER);
        assertThat(first.maxAttempts()).isEqualTo(Backoff.UNLIMITED_ATTEMPTS);
        assertThat(first.jitter()).isZero();
    }

    @Test
    void builder_rejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> Backoff.builder(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialDelay").hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() -> Backoff.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("initialDelay");
        assertThatThrownBy(() -> Backoff.builder(Duration.ofDays(365L * 300)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was PT2628000H");
        assertThatThrownBy(() -> Backoff.builder(Duration.ZERO).multiplier(0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiplier").hasMessageContaining("0.5");
        assertThatThrownBy(() -> Backoff.builder(Duration.ZERO).multiplier(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> Backoff.builder(Duration.ZERO).multiplier(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> Backoff.builder(Duration.ZERO).maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts").hasMessageContaining("but was 0");
        assertThatThrownBy(() -> Backoff.builder(Duration.ZERO).jitter(1.5, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter").hasMessageContaining("1.5");
        assertThatThrownBy(() -> Backoff.builder(Duration.ofSeconds(2)).maxDelay(Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT1S").hasMessageContaining("PT2S");
        Backoff b = Backoff.builder(Duration.ofMillis(1)).build();
        assertThatThrownBy(() -> b.delay(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 0");
        assertThatThrownBy(() -> b.allowsRetry(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was -1");
    }
}
