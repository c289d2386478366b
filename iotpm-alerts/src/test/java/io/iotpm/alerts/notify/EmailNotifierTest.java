package io.iotpm.alerts.notify;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertRule;
import io.iotpm.alerts.AlertStats;
import io.iotpm.alerts.Condition;
import io.iotpm.alerts.Priority;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.test.MutableClock;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EmailNotifierTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@plant.example", "alerts", "pw123"));

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    final MutableClock clock = new MutableClock(T0);
    AlertManager manager;

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    EmailSettings.Builder settings() {
        return EmailSettings.builder().host("127.0.0.1").port(SMTP.getSmtp().getPort()).startTls(false)
                .login("alerts", "pw123").from("alerts@plant.example").to("ops@plant.example").to("boss@plant.example")
                .timeout(Duration.ofSeconds(5));
    }

    AlertManager manager(EmailNotifier email) {
        manager = AlertManager.builder().clock(clock).tickInterval(Duration.ZERO).retryBackoff(Duration.ofMillis(1))
                .rule(AlertRule.named("overheat").when(Condition.above("temperature", 85))
                        .clearWhen(Condition.below("temperature", 80)).priority(Priority.HIGH)
                        .message("{device_id}: temperature {temperature} °C").build())
                .notifier(email).build();
        return manager;
    }

    static SensorReading reading(double temperature) {
        return SensorReading.of("PUMP_007", T0, SensorSchema.industrialMotor(), temperature, 0.5, 0.4, 0.3, 2.5, 1800,
                15, 220, 0.95, 45);
    }

    @Test
    void firedAndResolved_areMailedWithSubjectRecipientsAndBody() throws Exception {
        manager(EmailNotifier.smtp(settings().build()));
        manager.process(reading(92.25));
        assertThat(awaitMessages(2)).isEqualTo(2);   // one message, two recipients
        MimeMessage[] got = SMTP.getReceivedMessages();
        MimeMessage m = got[0];
        assertThat(m.getSubject()).isEqualTo("[iotpm] HIGH FIRED overheat on PUMP_007");
        assertThat(Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(Object::toString))
                .containsExactly("ops@plant.example", "boss@plant.example");
        assertThat(m.getFrom()[0].toString()).isEqualTo("alerts@plant.example");
        String body = ((String) m.getContent()).replace("\r\n", "\n");
        assertThat(body).startsWith("PUMP_007: temperature 92.25 °C\n");
        assertThat(body).contains("rule:        overheat (CUSTOM)").contains("device:      PUMP_007");

        clock.advance(Duration.ofMinutes(3));
        manager.process(reading(70));
        assertThat(awaitMessages(4)).isEqualTo(4);
        MimeMessage resolved = null;
        for (MimeMessage x : SMTP.getReceivedMessages()) {
            if (x.getSubject().equals("[iotpm] HIGH RESOLVED overheat on PUMP_007")) {
                resolved = x;
            }
        }
        assertThat(resolved).as("the RESOLVED mail").isNotNull();
        assertThat(((String) resolved.getContent())).contains("resolution:  CLEARED by rule");
    }

    /** Waits for the mail thread and GreenMail to store {@code n} messages; returns how many arrived. */
    static int awaitMessages(int n) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> SMTP.getReceivedMessages().length, got -> got >= n);
    }

    @Test
    void wrongPassword_failsAfterRetriesAndIsCounted() throws Exception {
        manager(EmailNotifier.smtp(settings().login("alerts", "wrong").build()));
        manager.process(reading(95));
        // Waits for the mail thread only.
        AlertStats.NotifierStats s = await().atMost(Duration.ofSeconds(30))
                .until(() -> manager.stats().notifiers().get(0), stats -> stats.failed() > 0);
        assertThat(s.failed()).isEqualTo(1);
        assertThat(s.retries()).isEqualTo(AlertManager.DEFAULT_MAX_ATTEMPTS - 1);
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void disabled_acceptsNothing() {
        EmailNotifier off = EmailNotifier.smtp(EmailSettings.disabled());
        assertThat(off.accepts(io.iotpm.alerts.AlertNotification.Event.FIRED)).isFalse();
    }

    @Test
    void settings_fromOriginalEnvironmentVariables() {
        EmailSettings s = EmailSettings.fromMap(Map.of("EMAIL_ENABLED", "True", "SMTP_SERVER", "smtp.gmail.com",
                "SMTP_USERNAME", "me", "SMTP_PASSWORD", "pw", "EMAIL_FROM", "me@example.com",
                "EMAIL_TO", "a@example.com, b@example.com"));
        assertThat(s.enabled()).isTrue();
        assertThat(s.host()).isEqualTo("smtp.gmail.com");
        assertThat(s.port()).isEqualTo(587);
        assertThat(s.startTls()).isTrue();
        assertThat(s.to()).isEqualTo(List.of("a@example.com", "b@example.com"));
        assertThat(s.toString()).doesNotContain("pw");
        assertThat(EmailSettings.fromMap(Map.of("EMAIL_ENABLED", "False", "SMTP_SERVER", "x")).enabled()).isFalse();
        assertThat(EmailSettings.fromMap(Map.of()).enabled()).isFalse();
    }

    @Test
    void settings_fromIotpmConfig() {
        io.iotpm.core.config.IotpmConfig off = io.iotpm.core.config.IotpmConfig.builder().environment(Map.of()).build();
        assertThat(EmailSettings.from(off).enabled()).isFalse();
        io.iotpm.core.config.IotpmConfig on = io.iotpm.core.config.IotpmConfig.builder().environment(Map.of(
                "EMAIL_ENABLED", "true", "SMTP_SERVER", "mail.plant.example", "SMTP_PORT", "2525",
                "SMTP_USERNAME", "alerts", "SMTP_PASSWORD", "pw", "SMTP_STARTTLS", "false",
                "EMAIL_FROM", "alerts@plant.example", "EMAIL_TO", "ops@plant.example")).build();
        EmailSettings s = EmailSettings.from(on);
        assertThat(s.host()).isEqualTo("mail.plant.example");
        assertThat(s.port()).isEqualTo(2525);
        assertThat(s.username()).isEqualTo("alerts");
        assertThat(s.startTls()).isFalse();
        assertThat(s.to()).containsExactly("ops@plant.example");
        assertThat(EmailNotifier.smtp(on).accepts(io.iotpm.alerts.AlertNotification.Event.FIRED)).isTrue();
        assertThat(EmailNotifier.smtp(off).accepts(io.iotpm.alerts.AlertNotification.Event.FIRED)).isFalse();
    }

    @Test
    void settings_rejectBadValuesNamingThem() {
        assertThatThrownBy(() -> EmailSettings.fromMap(Map.of("EMAIL_ENABLED", "maybe")))
                .hasMessageContaining("EMAIL_ENABLED").hasMessageContaining("'maybe'");
        assertThatThrownBy(() -> EmailSettings.fromMap(Map.of("EMAIL_ENABLED", "true", "SMTP_SERVER", "h",
                "SMTP_PORT", "smtp", "EMAIL_FROM", "a@b", "EMAIL_TO", "c@d"))).hasMessageContaining("'smtp'");
        assertThatThrownBy(() -> settings().port(70_000).build()).hasMessageContaining("70000");
        assertThatThrownBy(() -> settings().host(" ").build()).hasMessageContaining("host");
        assertThatThrownBy(() -> settings().to("not-an-address").build()).hasMessageContaining("'not-an-address'");
        assertThatThrownBy(() -> EmailSettings.builder().host("h").from("a@b").build()).hasMessageContaining("recipient");
        assertThatThrownBy(() -> settings().login("u", null).build()).hasMessageContaining("'u' needs a password");
        assertThatThrownBy(() -> settings().startTls(true).ssl(true).build()).hasMessageContaining("not both");
    }
}
