package io.iotpm.core.pipeline;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineCountersTest {

    @Test
    void unstored_waitsOutAMoveIntoTheBatcher_soNoReadingIsCountedTwice() throws Exception {
        PipelineCounters c = new PipelineCounters();
        c.handedOver = 10;
        // The writer is mid-move: the batcher already holds the 10 readings, the hand-over count not yet cleared.
        c.moving++;
        c.pending = 10;
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(c::unstored);
        Thread.sleep(50);   // not a wait for a condition: time in which the read must not return 20
        assertThat(read).isNotDone();
        c.handedOver = 0;
        c.moving++;
        assertThat(read).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(10);
        assertThat(c.snapshot().readingsPending()).isEqualTo(10);
    }
}
