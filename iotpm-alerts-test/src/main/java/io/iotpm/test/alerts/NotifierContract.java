package io.iotpm.test.alerts;

import io.iotpm.alerts.Alert;
import io.iotpm.alerts.AlertNotification;
import io.iotpm.alerts.AlertState;
import io.iotpm.alerts.AlertType;
import io.iotpm.alerts.Notifier;
import io.iotpm.alerts.Priority;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The behaviour every {@link Notifier} has: a name fit for thread names and logs, a kind, details
 * for settings screens that hold only plain values and never a secret, an answer from
 * {@link Notifier#accepts} for every event, delivery of a new alert to its destination, and an
 * exception (so the alert manager retries) when the destination cannot be reached. The log, hub,
 * webhook and e-mail notifiers run it.
 *
 * <p>A notifier author adds {@code io.iotpm:iotpm-alerts-test} with test scope and writes one test class:
 * <pre>{@code
 * class SlackNotifierTest extends NotifierContract {
 *     @Override
 *     protected Notifier createNotifier() {
 *         return SlackNotifier.to(fakeSlack.url()).token("xoxb-secret").build();
 *     }
 *
 *     @Override
 *     protected List<String> received() {
 *         return fakeSlack.messages();
 *     }
 *
 *     @Override
 *     protected List<String> secrets() {
 *         return List.of("xoxb-secret");
 *     }
 * }
 * }</pre>
 * A notifier is made per test. Override {@link #received()} where the test can see the far end,
 * and {@link #unreachableNotifier()} where the destination can be down.
 */
public abstract class NotifierContract {

    /** The time of every notification the suite sends. */
    protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** The device of the suite's alert. */
    protected static final String DEVICE = "PUMP_042";
    /** The rule of the suite's alert. */
    protected static final String RULE = "contract_overheat";
    private static final Duration WAIT = Duration.ofSeconds(30);

    /**
     * Makes the notifier under test, sending to a destination the test can see (see {@link #received()}).
     *
     * @return a new notifier
     */
    protected abstract Notifier createNotifier();

    /**
     * What the destination has received so far, one text per notification (a log line, a request
     * body, a mail's subject and body), oldest first. The default, {@code null}, says the test cannot
     * see the destination, and the delivery test is skipped.
     *
     * @return the received texts, or {@code null}
     */
    protected List<String> received() {
        return null;
    }

    /**
     * A notifier of the same kind whose destination is down (a closed port, a closed hub). The
     * default, {@code null}, says the notifier cannot fail to deliver, and that test is skipped.
     *
     * @return a notifier that cannot deliver, or {@code null}
     */
    protected Notifier unreachableNotifier() {
        return null;
    }

    /**
     * Configuration values {@link #createNotifier()} used that {@link Notifier#details()} must never
     * show: passwords, tokens, URL query strings. The default is none.
     *
     * @return the secrets
     */
    protected List<String> secrets() {
        return List.of();
    }

    /**
     * @param event what happened
     * @return a notification of {@code event} for an active, high-priority alert of {@link #RULE}
     *         on {@link #DEVICE}
     */
    protected static AlertNotification notification(AlertNotification.Event event) {
        Alert alert = new Alert(7, RULE, AlertType.THRESHOLD, Priority.HIGH, DEVICE, "temperature",
                DEVICE + ": temperature 92.5 °C", AlertState.ACTIVE, T0, T0, 1, 92.5, null, null, null, null, null,
                0, 0, null);
        return new AlertNotification(event, alert, T0);
    }

    @Test
    void name_isNotBlank_andHasNoWhitespace() {
        assertThat(createNotifier().name()).isNotBlank().doesNotContainAnyWhitespaces();
    }

    @Test
    void kind_isALowerCaseWord() {
        assertThat(createNotifier().kind()).matches("[a-z][a-z0-9_-]*");
    }

    @Test
    void details_holdOnlyStringsNumbersAndBooleans_andNoSecret() {
        Map<String, Object> details = createNotifier().details();
        assertThat(details.keySet()).allSatisfy(k -> assertThat(k).isNotBlank());
        assertThat(details.values()).allSatisfy(v -> assertThat(v).isInstanceOfAny(String.class, Number.class,
                Boolean.class));
        for (String secret : secrets()) {
            assertThat(details.values()).noneMatch(v -> String.valueOf(v).contains(secret));
        }
    }

    @Test
    void accepts_answersForEveryEvent_andTakesANewAlert() {
        Notifier n = createNotifier();
        for (AlertNotification.Event e : AlertNotification.Event.values()) {
            assertThatCode(() -> n.accepts(e)).as("accepts(%s)", e).doesNotThrowAnyException();
        }
        assertThat(n.accepts(AlertNotification.Event.FIRED)).isTrue();
    }

    @Test
    void send_deliversTheAlertToItsDestination() throws Exception {
        Notifier n = createNotifier();
        assumeTrue(received() != null, "the test cannot see the notifier's destination");
        int before = received().size();
        n.send(notification(AlertNotification.Event.FIRED));
        List<String> got = await().atMost(WAIT).until(this::received, r -> r.size() > before);
        assertThat(got).hasSize(before + 1);
        assertThat(got.get(before)).contains(DEVICE).contains(RULE);
    }

    @Test
    void send_toAnUnreachableDestination_throwsSoTheManagerRetries() {
        Notifier down = unreachableNotifier();
        assumeTrue(down != null, "the notifier cannot fail to deliver");
        assertThatThrownBy(() -> down.send(notification(AlertNotification.Event.FIRED))).isInstanceOf(Exception.class);
    }
}
