package io.iotpm.alerts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBackoffTest {

    @Test
    void delayMillis_doublesAfterEachFailure() {
        RetryBackoff b = new RetryBackoff(250);
        assertThat(b.delayMillis(1)).isEqualTo(250);
        assertThat(b.delayMillis(2)).isEqualTo(500);
        assertThat(b.delayMillis(3)).isEqualTo(1000);
    }

    @Test
    void delayMillis_stopsDoublingAfterTwentyOneFailures() {
        RetryBackoff b = new RetryBackoff(1);
        assertThat(b.delayMillis(21)).isEqualTo(1L << 20);
        assertThat(b.delayMillis(1000)).isEqualTo(1L << 20);
    }

    @Test
    void await_withZeroBaseReturnsAtOnce() throws InterruptedException {
        long t0 = System.nanoTime();
        new RetryBackoff(0).await(5);
        assertThat(System.nanoTime() - t0).isLessThan(1_000_000_000L);
    }
}
