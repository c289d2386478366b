package io.iotpm.api.internal.http;

import io.iotpm.api.auth.Role;
import io.iotpm.api.internal.ApiException;
import io.iotpm.api.internal.Json;
import io.iotpm.core.DeviceIds;
import io.iotpm.core.DeviceWindow;
import io.iotpm.core.MonitoringListener;
import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.DeviceInfo;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** {@code POST /api/predict/{id}} and {@code POST /api/predict/batch}, in the original system's JSON names. */
final class PredictHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.LOGGER);
    static final int MAX_BATCH_DEVICES = 1000;

    private final ApiContext api;

    PredictHandlers(ApiContext api) {
        this.api = api;
    }

    /**
     * A prediction as the original API returned it, plus the device's latest known health score and the
     * model's explanation ({@code contributions}: channel to how much it moved the probability, largest
     * first; empty when the predictor does not explain, e.g. in a batch).
     */
    record PredictionView(String deviceId, String timestamp, double maintenanceProbability, String riskLevel,
                          boolean maintenanceNeeded, Double remainingUsefulLife, Double healthScore, String status,
                          String modelVersion, Map<String, Double> contributions) {
    }

    record BatchRequest(List<String> deviceIds) {
    }

    record Skipped(String deviceId, String reason) {
    }

    record BatchResponse(List<PredictionView> predictions, List<Skipped> skipped, int count) {
    }

    void register(RoutesConfig r) {
        r.post("/api/predict/batch", this::batch, Role.VIEWER);
        r.post("/api/predict/{id}", this::single, Role.VIEWER);
    }

    private Predictor predictor() {
        Predictor p = api.predictor();
        if (p == null) {
            throw new ApiException(503, "no_model", "no predictor is configured on this server", null);
        }
        return p;
    }

    private void single(Context ctx) {
        String id = Params.deviceId(ctx);
        Predictor p = predictor();
        List<SensorReading> window = window(p, id);
        if (window.isEmpty()) {
            throw ApiException.notFound("no data for device '" + id + "'");
        }
        if (window.size() < p.minHistory()) {
            throw new ApiException(422, "insufficient_data", "device '" + id + "' has " + window.size()
                    + " readings, but the model needs " + p.minHistory(), null);
        }
        Prediction prediction;
        try {
            prediction = p.predict(id, window);
        } catch (IllegalStateException e) {
            throw new ApiException(503, "model_not_ready", "the model cannot predict yet: " + e.getMessage(), null);
        } catch (IllegalArgumentException e) {
            throw new ApiException(422, "unpredictable", "cannot predict for device '" + id + "': " + e.getMessage(), null);
        }
        notifyListeners(List.of(prediction));
        ctx.json(view(prediction, window.get(window.size() - 1)));
    }

    private void batch(Context ctx) {
        Predictor p = predictor();
        byte[] body = ctx.bodyAsBytes();
        List<String> ids;
        if (body.length == 0) {
            ids = api.settings.storage().devices().stream().map(DeviceInfo::deviceId).toList();
        } else {
            BatchRequest req = Json.read(body, BatchRequest.class);
            if (req.deviceIds() == null) {
                ids = api.settings.storage().devices().stream().map(DeviceInfo::deviceId).toList();
            } else {
                for (int i = 0; i < req.deviceIds().size(); i++) {
                    String id = req.deviceIds().get(i);
                    if (!DeviceIds.isValid(id)) {
                        throw ApiException.badRequest("device_ids[" + i + "]", "field 'device_ids[" + i
                                + "]' is not a valid device id: '" + Params.abbreviate(String.valueOf(id)) + "'");
                    }
                }
                ids = List.copyOf(new LinkedHashSet<>(req.deviceIds()));
            }
        }
        if (ids.size() > MAX_BATCH_DEVICES) {
            throw ApiException.badRequest("device_ids", "at most " + MAX_BATCH_DEVICES + " devices per batch, but got "
                    + ids.size());
        }
        List<DeviceWindow> windows = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (String id : ids) {
            List<SensorReading> w = window(p, id);
            if (w.size() < p.minHistory()) {
                skipped.add(new Skipped(id, w.isEmpty() ? "no data"
                        : "has " + w.size() + " readings, the model needs " + p.minHistory()));
            } else {
                windows.add(new DeviceWindow(id, w));
            }
        }
        List<Prediction> predictions;
        try {
            predictions = windows.isEmpty() ? List.of() : p.predictBatch(windows);
        } catch (IllegalStateException e) {
            throw new ApiException(503, "model_not_ready", "the model cannot predict yet: " + e.getMessage(), null);
        } catch (IllegalArgumentException e) {
            throw new ApiException(422, "unpredictable", "cannot predict the batch: " + e.getMessage(), null);
        }
        notifyListeners(predictions);
        List<PredictionView> views = new ArrayList<>(predictions.size());
        for (int i = 0; i < predictions.size(); i++) {
            List<SensorReading> w = windows.get(i).readings();
            views.add(view(predictions.get(i), w.get(w.size() - 1)));
        }
        ctx.json(new BatchResponse(views, skipped, views.size()));
    }

    private List<SensorReading> window(Predictor p, String id) {
        List<SensorReading> newestFirst = api.settings.storage().latest(id, p.sequenceLength());
        List<SensorReading> w = new ArrayList<>(newestFirst);
        Collections.reverse(w);
        return w;
    }

    private void notifyListeners(List<Prediction> predictions) {
        for (MonitoringListener l : api.settings.listeners()) {
            for (Prediction pr : predictions) {
                try {
                    l.onPrediction(pr);
                } catch (RuntimeException e) {
                    LOG.warn("monitoring listener {} failed on a prediction for {}", l, pr.deviceId(), e);
                }
            }
        }
        api.publishedPredictions(predictions);
    }

    static PredictionView view(Prediction p, SensorReading latest) {
        double h = latest == null ? Double.NaN : latest.healthScore();
        return new PredictionView(p.deviceId(), p.timestamp().toString(), p.failureProbability(), p.riskLevel().name(),
                p.maintenanceNeeded(), p.hasRemainingUsefulLife() ? p.remainingUsefulLife() : null,
                Double.isNaN(h) ? null : h, latest == null ? null : latest.status().name(), p.modelVersion(),
                p.contributions());
    }
}
