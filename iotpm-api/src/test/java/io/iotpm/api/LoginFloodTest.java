package io.iotpm.api;

import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.test.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LoginFloodTest {

    @Test
    void floodOfUsernamesFromOneAddress_isThrottledBeforeHashing_andAnotherAddressStillLogsIn() throws Exception {
        // A clock that stands still keeps every failure inside the throttle's window however slow the machine.
        MutableClock clock = new MutableClock(Instant.now());
        try (StorageBackend store = StorageBackends.open("memory:");
             IotpmServer server = IotpmServer.builder().port(0).storage(store).users(TestUsers.store())
                     .jwtSecret(TestUsers.SECRET).clock(clock).build().start()) {
            Map<Integer, AtomicInteger> flood = new ConcurrentHashMap<>();
            AtomicInteger next = new AtomicInteger();
            int requests = 120;
            ExecutorService attackers = Executors.newFixedThreadPool(8);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                running.add(attackers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        int status = RawHttp.post(server, "127.0.0.1", "/api/auth/login",
                                "{\"username\":\"spray" + i + "\",\"password\":\"guess\"}");
                        flood.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            List<Integer> legitimate = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                legitimate.add(RawHttp.post(server, "127.0.0.2", "/api/auth/login",
                        "{\"username\":\"vera\",\"password\":\"" + TestUsers.VIEWER_PW + "\"}"));
            }
            for (Future<?> f : running) {
                f.get();
            }
            attackers.shutdown();

            assertThat(legitimate).containsOnly(200);
            // Only the address's budget of failures was ever hashed; the rest were refused before any hashing.
            int budget = IotpmServer.DEFAULT_LOGIN_FAILURES * 4;
            assertThat(flood.getOrDefault(401, new AtomicInteger()).get()).isLessThanOrEqualTo(budget);
            assertThat(flood.getOrDefault(429, new AtomicInteger()).get()).isGreaterThanOrEqualTo(requests - budget);
            assertThat(flood.keySet()).containsOnly(401, 429);
        }
    }
}
