package io.iotpm.core.metrics;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DistributionRecorderTest {

    @Test
    void snapshot_hasCountTotalMaxAndMean_andTreatsNegativeAsZero() {
        DistributionRecorder r = new DistributionRecorder();
        assertThat(r.snapshot()).isEqualTo(Distribution.EMPTY);
        assertThat(Distribution.EMPTY.mean()).isZero();
        r.record(10);
        r.record(30);
        r.record(-5);
        Distribution d = r.snapshot();
        assertThat(d).isEqualTo(new Distribution(3, 40, 30));
        assertThat(d.mean()).isEqualTo(40.0 / 3);
    }

    @Test
    void record_fromManyThreads_losesNothing() throws Exception {
        DistributionRecorder r = new DistributionRecorder();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            int base = t * 10_000;
            pool.execute(() -> {
                for (int i = 1; i <= 10_000; i++) {
                    r.record(base + i);
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        long n = 40_000;
        assertThat(r.snapshot()).isEqualTo(new Distribution(n, n * (n + 1) / 2, n));
    }

    @Test
    void distribution_refusesNegativeFigures() {
        assertThatThrownBy(() -> new Distribution(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }
}
