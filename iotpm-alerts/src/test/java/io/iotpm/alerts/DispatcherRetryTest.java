package io.iotpm.alerts;

import io.iotpm.core.time.Backoff;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DispatcherRetryTest {

    @Test
    void retrySchedule_doublesTheWaitAfterEachFailure() {
        Backoff b = Dispatcher.retrySchedule(Duration.ofMillis(250), 3);
        assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.delay(3)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void retrySchedule_allowsExactlyMaxAttemptsSends() {
        Backoff b = Dispatcher.retrySchedule(Duration.ofSeconds(1), 3);
        assertThat(b.allowsRetry(1)).isTrue();
        assertThat(b.allowsRetry(2)).isTrue();
        assertThat(b.allowsRetry(3)).isFalse();
    }

    @Test
    void retrySchedule_withZeroWaitRetriesAtOnce() {
        assertThat(Dispatcher.retrySchedule(Duration.ZERO, 20).delay(19)).isEqualTo(Duration.ZERO);
    }
}
