package io.iotpm.alerts.notify;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.iotpm.alerts.Notifier;
import io.iotpm.test.alerts.NotifierContract;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The e-mail notifier passes the notifier contract against GreenMail's SMTP server. */
class EmailNotifierContractTest extends NotifierContract {

    private static final String PASSWORD = "password-secret";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@plant.example", "alerts", PASSWORD));

    private static EmailNotifier email(int port) {
        return EmailNotifier.smtp(EmailSettings.builder().host("127.0.0.1").port(port).startTls(false)
                .login("alerts", PASSWORD).from("alerts@plant.example").to("ops@plant.example")
                .timeout(Duration.ofSeconds(5)).build());
    }

    @Override
    protected Notifier createNotifier() {
        return email(SMTP.getSmtp().getPort());
    }

    @Override
    protected List<String> received() {
        List<String> mails = new ArrayList<>();
        try {
            for (MimeMessage m : SMTP.getReceivedMessages()) {
                mails.add(m.getSubject() + "\n" + GreenMailUtil.getBody(m));
            }
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
        return mails;
    }

    @Override
    protected List<String> secrets() {
        return List.of(PASSWORD);
    }

    @Override
    protected Notifier unreachableNotifier() {
        try (ServerSocket s = new ServerSocket(0)) {
            return email(s.getLocalPort());   // closed when the notifier sends
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
