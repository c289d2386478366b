package io.iotpm.test.stream;

import io.iotpm.core.stream.Overflow;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Topic;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory hub passes the contract. It lives here rather than in iotpm-core because iotpm-test
 * depends on iotpm-core (Maven forbids the cycle); core keeps the hub's own settings and ring tests.
 */
class InMemoryStreamHubContractTest extends StreamHubContract {

    @Override
    protected StreamHub createHub() {
        return StreamHub.inMemory().capacity(1024).overflow(Overflow.BLOCK).build();
    }

    @Override
    protected String threadNamePrefix() {
        return "iotpm-hub-";
    }

    @Test
    void workerThreads_areNamedDaemons() {
        StreamHub hub = newHub();
        hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("dash").lanes(2).build(), r -> { });
        assertThat(hubThreads()).extracting(Thread::getName)
                .containsExactlyInAnyOrder("iotpm-hub-dash-0", "iotpm-hub-dash-1");
        assertThat(hubThreads()).allMatch(Thread::isDaemon);
    }
}
