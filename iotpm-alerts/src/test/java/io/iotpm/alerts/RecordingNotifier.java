package io.iotpm.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects notifications so a test can wait for the notifier thread to deliver them. */
public final class RecordingNotifier implements Notifier {
    private final LinkedBlockingQueue<AlertNotification> got = new LinkedBlockingQueue<>();

    @Override
    public void send(AlertNotification n) {
        got.add(n);
    }

    @Override
    public boolean accepts(AlertNotification.Event event) {
        return true;
    }

    @Override
    public String name() {
        return "recording";
    }

    /** Waits up to 30 s (a generous ceiling for a busy machine) for the next notification; null if none came. */
    public AlertNotification next() throws InterruptedException {
        return got.poll(30, TimeUnit.SECONDS);
    }

    /** Takes whatever has been delivered by now without waiting. */
    public List<AlertNotification> drain() {
        List<AlertNotification> out = new ArrayList<>();
        got.drainTo(out);
        return out;
    }
}
