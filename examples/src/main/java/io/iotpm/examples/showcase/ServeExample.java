package io.iotpm.examples.showcase;

import io.iotpm.api.IotpmServer;
import io.iotpm.api.auth.PasswordHasher;
import io.iotpm.api.auth.Role;
import io.iotpm.api.auth.User;
import io.iotpm.api.auth.UserStore;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

/**
 * Serve: the REST API (and the web dashboard at {@code /}) over a store, with a real user whose
 * password is hashed, a JWT secret the host provides, and an ephemeral port. A client logs in and
 * reads the devices with the bearer token.
 */
public final class ServeExample {

    private ServeExample() {
    }

    /**
     * What the client saw.
     *
     * @param url             the server's address
     * @param loginStatus     HTTP status of {@code POST /api/auth/login}
     * @param devicesStatus   HTTP status of {@code GET /api/devices} with the token
     * @param devices         its JSON body
     * @param anonymousStatus HTTP status of {@code GET /api/devices} without a token
     */
    public record Result(String url, int loginStatus, int devicesStatus, String devices, int anonymousStatus) {
    }

    /**
     * Serves six simulated hours of {@code devices} motors, calls the API like a client and stops.
     *
     * @param devices how many motors to store
     * @param seed    the simulation's seed
     * @return the statuses and the device list
     * @throws IOException          if a call fails
     * @throws InterruptedException if interrupted during a call
     */
    public static Result run(int devices, long seed) throws IOException, InterruptedException {
        Fleet fleet = Fleet.builder().devices(devices).idPrefix("PUMP_").seed(seed)
                .start(Instant.parse("2026-01-01T00:00:00Z")).build();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);   // a host keeps its own, e.g. from SECRET_KEY
        UserStore users = UserStore.of(new User("alice", PasswordHasher.hash("s3cret-pa55".toCharArray()), Role.VIEWER));
        try (StorageBackend store = StorageBackends.open("memory:")) {
            store.appendAll(fleet.history(Duration.ofHours(6)).toList());
            try (IotpmServer server = IotpmServer.builder().port(0).storage(store).users(users).jwtSecret(secret)
                    .build().start()) {
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/auth/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"s3cret-pa55\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                String token = login.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
                HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/devices"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/devices"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                return new Result(server.url(), login.statusCode(), list.statusCode(), list.body(), anonymous.statusCode());
            }
        }
    }

    /**
     * Calls the API and prints the device list.
     *
     * @param args unused
     * @throws Exception if a call fails
     */
    public static void main(String[] args) throws Exception {
        Result r = run(3, 42);
        System.out.println(r.url() + ": login " + r.loginStatus() + ", devices " + r.devicesStatus() + " " + r.devices());
    }
}
