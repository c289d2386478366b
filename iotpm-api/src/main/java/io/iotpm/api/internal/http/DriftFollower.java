package io.iotpm.api.internal.http;

import io.iotpm.core.SensorReading;
import io.iotpm.core.drift.DriftMonitor;
import io.iotpm.core.drift.DriftReference;
import io.iotpm.core.storage.StorageBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Points the server's drift monitor at the training data of the model that has just become active (activated,
 * rolled back to, or trained through the API), so {@code GET /api/drift}, the drift meters and the drift alert
 * rules compare live readings with what the serving model learned from, not with its predecessor's data.
 */
final class DriftFollower {

    private static final Logger LOG = LoggerFactory.getLogger(DriftFollower.class);

    private DriftFollower() {
    }

    /**
     * Rebuilds the reference from the stored readings of every device in {@code [from, to)}. Keeps the current
     * reference, and says why in the log, when there is no monitor, the model names no training range, or the
     * range holds no readings (e.g. retention has removed them): a stale reference beats none.
     *
     * @return whether the monitor was rebased
     */
    static boolean follow(ApiContext api, String version, Instant from, Instant to) {
        DriftMonitor drift = api.settings.drift();
        if (drift == null) {
            return false;
        }
        if (from == null || to == null) {
            LOG.warn("model {} names no training range; drift still compares with the previous reference", version);
            return false;
        }
        StorageBackend store = api.settings.storage();
        List<SensorReading> training = new ArrayList<>();
        try {
            store.devices().forEach(d -> training.addAll(store.range(d.deviceId(), from, to)));
        } catch (RuntimeException e) {
            // The model is active already; a storage hiccup must not turn the activation into an error.
            LOG.warn("cannot read model {}'s training range for the drift reference: {}", version, e.toString());
            return false;
        }
        if (training.isEmpty()) {
            LOG.warn("no stored readings in model {}'s training range {} .. {}; drift still compares with the "
                    + "previous reference", version, from, to);
            return false;
        }
        try {
            drift.rebase(DriftReference.fromReadings(api.settings.schema(), training));
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot build a drift reference from model {}'s training range: {}", version, e.getMessage());
            return false;
        }
        LOG.info("drift now compares with model {}'s training data ({} readings, {} .. {})", version,
                training.size(), from, to);
        return true;
    }
}
