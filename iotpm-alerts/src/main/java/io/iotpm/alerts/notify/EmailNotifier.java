package io.iotpm.alerts.notify;

import io.iotpm.alerts.Alert;
import io.iotpm.alerts.AlertNotification;
import io.iotpm.alerts.Notifier;
import io.iotpm.core.config.IotpmConfig;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * Sends one e-mail per notification over SMTP with Jakarta Mail (Eclipse Angus). Subject:
 * {@code [iotpm] HIGH FIRED overheat on PUMP_001}; body: the message and the alert's details. By
 * default it mails FIRED, ESCALATED, RENOTIFIED and RESOLVED events. The manager calls it on its own
 * thread, so a slow server delays only mail.
 */
public final class EmailNotifier implements Notifier {

    private final EmailSettings settings;
    private final Set<AlertNotification.Event> events;
    private final Session session;

    private EmailNotifier(EmailSettings settings, Set<AlertNotification.Event> events) {
        this.settings = settings;
        this.events = Set.copyOf(events);
        this.session = settings.enabled() ? Session.getInstance(properties(settings)) : null;
    }

    /**
     * @param config the library configuration ({@code EMAIL_ENABLED}, {@code SMTP_SERVER}, ...; see
     *               {@link EmailSettings#from(IotpmConfig)})
     * @return the notifier; it accepts nothing when {@code EMAIL_ENABLED} is false
     */
    public static EmailNotifier smtp(IotpmConfig config) {
        return smtp(EmailSettings.from(config));
    }

    /**
     * @param settings SMTP settings; when disabled the notifier accepts no event
     * @return the notifier
     */
    public static EmailNotifier smtp(EmailSettings settings) {
        return smtp(settings, EnumSet.of(AlertNotification.Event.FIRED, AlertNotification.Event.ESCALATED,
                AlertNotification.Event.RENOTIFIED, AlertNotification.Event.RESOLVED));
    }

    /**
     * @param settings SMTP settings
     * @param events   which events to mail
     * @return the notifier
     */
    public static EmailNotifier smtp(EmailSettings settings, Set<AlertNotification.Event> events) {
        return new EmailNotifier(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(events, "events"));
    }

    @Override
    public boolean accepts(AlertNotification.Event event) {
        return settings.enabled() && events.contains(event);
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public String kind() {
        return "email";
    }

    /** @return {@code enabled}, SMTP {@code host} and {@code port}, {@code from}, {@code recipients} (a count); never the login */
    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("enabled", settings.enabled());
        if (settings.host() != null) {
            d.put("host", settings.host());
        }
        d.put("port", settings.port());
        if (settings.from() != null) {
            d.put("from", settings.from());
        }
        d.put("recipients", settings.to().size());
        return d;
    }

    @Override
    public void send(AlertNotification n) throws MessagingException {
        if (session == null) {
            return;
        }
        Alert a = n.alert();
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(settings.from(), true));
        for (String t : settings.to()) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(t, true));
        }
        m.setSubject(subject(n), "UTF-8");
        m.setSentDate(Date.from(n.at()));
        m.setText(body(n), "UTF-8");
        m.setHeader("X-Iotpm-Alert-Id", Long.toString(a.id()));
        if (settings.username() != null) {
            Transport.send(m, settings.username(), settings.password());
        } else {
            Transport.send(m);
        }
    }

    static String subject(AlertNotification n) {
        Alert a = n.alert();
        return "[iotpm] " + a.priority() + " " + n.event() + " " + a.rule() + " on " + a.deviceId();
    }

    static String body(AlertNotification n) {
        Alert a = n.alert();
        StringBuilder b = new StringBuilder();
        b.append(a.message()).append("\n\n");
        b.append("event:       ").append(n.event()).append(" at ").append(n.at()).append('\n');
        b.append("alert id:    ").append(a.id()).append('\n');
        b.append("rule:        ").append(a.rule()).append(" (").append(a.type()).append(")\n");
        b.append("device:      ").append(a.deviceId()).append('\n');
        if (a.channel() != null) {
            b.append("channel:     ").append(a.channel()).append('\n');
        }
        b.append("priority:    ").append(a.priority()).append('\n');
        b.append("state:       ").append(a.state()).append('\n');
        b.append("first seen:  ").append(a.firstSeen()).append('\n');
        b.append("last seen:   ").append(a.lastSeen()).append(" (").append(a.count()).append(" matches)\n");
        if (a.resolution() != null) {
            b.append("resolution:  ").append(a.resolution()).append(" by ").append(a.resolvedBy()).append('\n');
        }
        return b.toString();
    }

    private static Properties properties(EmailSettings s) {
        Properties p = new Properties();
        String proto = s.ssl() ? "smtps" : "smtp";
        p.setProperty("mail.transport.protocol", proto);
        p.setProperty("mail." + proto + ".host", s.host());
        p.setProperty("mail." + proto + ".port", Integer.toString(s.port()));
        p.setProperty("mail." + proto + ".auth", Boolean.toString(s.username() != null));
        String ms = Long.toString(s.timeout().toMillis());
        p.setProperty("mail." + proto + ".connectiontimeout", ms);
        p.setProperty("mail." + proto + ".timeout", ms);
        p.setProperty("mail." + proto + ".writetimeout", ms);
        if (s.startTls()) {
            p.setProperty("mail.smtp.starttls.enable", "true");
            p.setProperty("mail.smtp.starttls.required", "true");
        }
        return p;
    }
}
