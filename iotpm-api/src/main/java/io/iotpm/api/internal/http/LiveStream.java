package io.iotpm.api.internal.http;

import io.iotpm.api.internal.ApiException;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fans events (readings, predictions, alerts) out to Server-Sent-Events clients. Publishing never
 * blocks: each client has a bounded queue, and a client too slow to drain it loses events (counted,
 * and told with a {@code dropped} event) instead of slowing ingest or the hub. Each client is served
 * by the request thread that opened it, which {@link #close()} releases.
 *
 * <p>Each user may hold at most 1/{@value #PER_USER_DIVISOR} of the server's stream slots (at least
 * one), so one user opening streams in a loop exhausts their own share, not everyone's: with the
 * default 64 slots a user gets 8, and it takes eight users to fill the server.
 */
final class LiveStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.LOGGER);
    static final int QUEUE_CAPACITY = 1024;
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final String CLOSE = "";

    /** A user may hold this fraction (1/n) of all stream slots. */
    static final int PER_USER_DIVISOR = 8;

    private final int maxClients;
    private final int maxPerUser;
    private final Set<Client> clients = new CopyOnWriteArraySet<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean closed;

    LiveStream(int maxClients) {
        this.maxClients = maxClients;
        this.maxPerUser = Math.max(1, maxClients / PER_USER_DIVISOR);
    }

    /** One connected client: which topics and device it wants, and its queue of ready-to-write frames. */
    static final class Client {
        final String user;
        final Set<String> topics;
        final String deviceId;
        final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        final AtomicLong dropped = new AtomicLong();

        Client(String user, Set<String> topics, String deviceId) {
            this.user = user;
            this.topics = topics;
            this.deviceId = deviceId;
        }

        boolean wants(String topic, String device) {
            return topics.contains(topic) && (deviceId == null || deviceId.equals(device));
        }
    }

    /** @return whether anyone listens to the topic (lets publishers skip serialisation) */
    boolean hasListeners(String topic) {
        for (Client c : clients) {
            if (c.topics.contains(topic)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Offers an event to every client that wants it.
     *
     * @param topic    {@code readings}, {@code predictions} or {@code alerts}; becomes the SSE event name
     * @param deviceId the device the event is about
     * @param json     the event's JSON payload (one line)
     */
    void publish(String topic, String deviceId, String json) {
        if (closed) {
            return;
        }
        String frame = "id: " + ids.incrementAndGet() + "\nevent: " + topic + "\ndata: " + json + "\n\n";
        for (Client c : clients) {
            if (c.wants(topic, deviceId) && !c.queue.offer(frame)) {
                c.dropped.incrementAndGet();
            }
        }
    }

    /**
     * Serves one client on the calling (request) thread until it disconnects or the stream closes.
     *
     * @param user the authenticated user, whose own stream limit applies
     * @throws ApiException 429 when the user's limit is reached, 503 when the server's is or it is closing
     */
    void serve(Context ctx, String user, Set<String> topics, String deviceId) {
        Client client = new Client(user, topics, deviceId);
        synchronized (this) {
            if (closed) {
                throw new ApiException(503, "unavailable", "server is shutting down", null);
            }
            if (clients.stream().filter(c -> c.user.equals(user)).count() >= maxPerUser) {
                throw new ApiException(429, "too_many_requests", "user '" + user + "' already has " + maxPerUser
                        + " live streams open (the per-user limit); close one first", null);
            }
            if (clients.size() >= maxClients) {
                throw new ApiException(503, "unavailable", "too many live stream clients (" + maxClients + ")", null);
            }
            clients.add(client);
        }
        try {
            var res = ctx.res();
            res.setStatus(200);
            res.setContentType("text/event-stream");
            res.setCharacterEncoding("UTF-8");
            res.setHeader("Cache-Control", "no-store");
            res.setHeader("X-Accel-Buffering", "no");
            OutputStream out = res.getOutputStream();
            write(out, ": iotpm live stream; topics=" + String.join(",", topics) + "\nretry: 3000\n\n");
            long reported = 0;
            while (!closed) {
                String frame = client.queue.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
                if (frame == null) {
                    write(out, ": heartbeat\n\n");
                    continue;
                }
                if (frame == CLOSE) {
                    break;
                }
                long dropped = client.dropped.get();
                if (dropped != reported) {
                    write(out, "event: dropped\ndata: {\"dropped\":" + dropped + "}\n\n");
                    reported = dropped;
                }
                StringBuilder batch = new StringBuilder(frame);
                for (String more = client.queue.poll(); more != null && more != CLOSE; more = client.queue.poll()) {
                    batch.append(more);
                }
                write(out, batch.toString());
            }
        } catch (IOException e) {
            LOG.debug("live stream client went away: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.remove(client);
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    int clientCount() {
        return clients.size();
    }

    /** Ends every client's stream; their request threads return promptly. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (Client c : clients) {
            c.queue.clear();
            c.queue.offer(CLOSE);
        }
    }
}
