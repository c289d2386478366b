package io.iotpm.core.time;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TickerTest {

    @Test
    void system_followsSystemNanoTime() {
        long before = System.nanoTime();
        long read = Ticker.system().nanoTime();
        long after = System.nanoTime();
        assertThat(read).isBetween(before, after);
        assertThat(Ticker.system()).isSameAs(Ticker.system());
    }

    @Test
    void aLambda_isATickerATestMovesByHand() {
        AtomicLong now = new AtomicLong(5);
        Ticker manual = now::get;
        assertThat(manual.nanoTime()).isEqualTo(5);
        now.addAndGet(1_000);
        assertThat(manual.nanoTime()).isEqualTo(1_005);
    }
}
