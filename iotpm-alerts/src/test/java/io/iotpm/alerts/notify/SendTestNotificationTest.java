package io.iotpm.alerts.notify;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertQuery;
import io.iotpm.alerts.NotifierInfo;
import io.iotpm.alerts.NotifierTestResult;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendTestNotificationTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@plant.example", "alerts", "pw123"));

    final LinkedBlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    final AtomicInteger status = new AtomicInteger(204);
    final CountDownLatch release = new CountDownLatch(1);
    HttpServer server;
    AlertManager manager;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                ex.sendResponseHeaders(status.get(), -1);
            } finally {
                ex.close();
            }
        });
        server.createContext("/slow", ex -> {
            try {
                release.await(10, TimeUnit.SECONDS);
                ex.sendResponseHeaders(204, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (manager != null) {
            manager.close();
        }
        server.stop(0);
    }

    String url(String path) {
        return "http://user:secret@127.0.0.1:" + server.getAddress().getPort() + path + "?token=s3cr3t";
    }

    EmailNotifier email() {
        return EmailNotifier.smtp(EmailSettings.builder().host("127.0.0.1").port(SMTP.getSmtp().getPort())
                .startTls(false).login("alerts", "pw123").from("alerts@plant.example").to("ops@plant.example")
                .to("boss@plant.example").timeout(Duration.ofSeconds(5)).build());
    }

    AlertManager manager(WebhookNotifier hook) {
        manager = AlertManager.builder().tickInterval(Duration.ZERO).notifier(new LogNotifier()).notifier(hook)
                .notifier(email()).callback(a -> { }).build();
        return manager;
    }

    @Test
    void notifiers_describeKindsWithoutSecretsAndSkipCallbacks() {
        manager(WebhookNotifier.builder(url("/hook")).header("Authorization", "Bearer hidden").build());
        List<NotifierInfo> infos = manager.notifiers();
        assertThat(infos).extracting(NotifierInfo::name).containsExactly("log", "webhook-127.0.0.1", "email");
        assertThat(infos).extracting(NotifierInfo::kind).containsExactly("log", "webhook", "email");
        assertThat(infos.get(1).details()).containsEntry("host", "127.0.0.1").containsEntry("scheme", "http");
        assertThat(infos.get(2).details()).containsEntry("host", "127.0.0.1").containsEntry("recipients", 2)
                .containsEntry("from", "alerts@plant.example").containsEntry("enabled", true);
        String all = infos.toString();
        assertThat(all).doesNotContain("secret", "s3cr3t", "hidden", "pw123", "/hook");
        assertThat(infos.get(1).stats().sent()).isZero();
    }

    @Test
    void sendTest_reachesWebhookAndMailWithMarkerAndLeavesNoAlert() throws Exception {
        manager(WebhookNotifier.builder(url("/hook")).build());
        List<NotifierTestResult> results = manager.sendTest(null, Duration.ofSeconds(30));
        assertThat(results).extracting(NotifierTestResult::notifier)
                .containsExactly("log", "webhook-127.0.0.1", "email");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(NotifierTestResult.Outcome.SENT);
            assertThat(r.error()).isNull();
        });
        String body = bodies.poll(30, TimeUnit.SECONDS);
        assertThat(body).contains(AlertManager.TEST_RULE).contains(AlertManager.TEST_MESSAGE);
        MimeMessage[] mails = SMTP.getReceivedMessages();
        assertThat(mails).hasSize(2);
        assertThat(mails[0].getSubject()).contains(AlertManager.TEST_RULE).contains(AlertManager.TEST_DEVICE);
        assertThat(((String) mails[0].getContent())).contains(AlertManager.TEST_MESSAGE);
        assertThat(manager.history(AlertQuery.builder().build())).isEmpty();
        assertThat(manager.stats().fired()).isZero();
        assertThat(manager.notifiers()).allSatisfy(i -> assertThat(i.stats().sent()).isZero());
    }

    @Test
    void sendTest_reportsFailureMessageWithoutSecretsAndTestsOnlyTheNamedNotifier() throws Exception {
        status.set(500);
        manager(WebhookNotifier.builder(url("/hook")).build());
        List<NotifierTestResult> results = manager.sendTest("webhook-127.0.0.1", Duration.ofSeconds(30));
        assertThat(results).hasSize(1);
        NotifierTestResult r = results.get(0);
        assertThat(r.outcome()).isEqualTo(NotifierTestResult.Outcome.FAILED);
        assertThat(r.error()).contains("IOException").contains("HTTP 500").doesNotContain("s3cr3t", "secret");
        assertThat(bodies).hasSize(1);   // one attempt, no retries
        assertThat(SMTP.getReceivedMessages()).isEmpty();
        assertThat(manager.stats().notifiers().get(1).failed()).isZero();
    }

    @Test
    void sendTest_timesOutInsteadOfBlocking() {
        manager(WebhookNotifier.builder(url("/slow")).timeout(Duration.ofSeconds(8)).build());
        List<NotifierTestResult> results = manager.sendTest("webhook-127.0.0.1", Duration.ofMillis(300));
        assertThat(results.get(0).outcome()).isEqualTo(NotifierTestResult.Outcome.FAILED);
        assertThat(results.get(0).error()).isEqualTo("no outcome within 300 ms");
    }

    @Test
    void sendTest_skipsDisabledMailAndRejectsUnknownNameOrBadTimeout() {
        manager = AlertManager.builder().tickInterval(Duration.ZERO)
                .notifier(EmailNotifier.smtp(EmailSettings.disabled())).build();
        assertThat(manager.sendTest(null, Duration.ofSeconds(1))).singleElement()
                .satisfies(r -> assertThat(r.outcome()).isEqualTo(NotifierTestResult.Outcome.SKIPPED));
        assertThatThrownBy(() -> manager.sendTest("pager", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pager'").hasMessageContaining("email");
        assertThatThrownBy(() -> manager.sendTest(null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }
}
