package io.iotpm.examples.showcase;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamExampleTest {

    @Test
    void run_storesEveryPublishedReading_andPredictsEveryDeviceEverySimulatedMinute() throws Exception {
        StreamExample.Result r = StreamExample.run(4, 600, 42);
        assertThat(r.published()).isEqualTo(4 * 600);
        assertThat(r.pipeline().readingsStored()).isEqualTo(r.published());
        assertThat(r.pipeline().storageErrors()).isZero();
        // Ten simulated minutes; the first prediction needs a full 60-reading window.
        assertThat(r.pipeline().predictions()).isBetween(4L * 9, 4L * 10);
        assertThat(r.risks().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(r.pipeline().predictions());
    }
}
