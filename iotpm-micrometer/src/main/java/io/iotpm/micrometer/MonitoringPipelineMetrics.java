package io.iotpm.micrometer;

import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.pipeline.PipelineMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.util.List;
import java.util.Objects;

/**
 * The meters of a {@link MonitoringPipeline}, read from its {@link PipelineMetrics}, all tagged
 * {@code pipeline=<name>}. Three groups, because the pipeline is where readings meet the storage and the
 * predictor:
 * <ul>
 *   <li>pipeline: {@code iotpm.pipeline.readings.received}, {@code iotpm.pipeline.readings} (tag {@code outcome}:
 *       {@code stored}, {@code rejected}, {@code lost}), {@code iotpm.pipeline.readings.pending},
 *       {@code iotpm.pipeline.devices}, {@code iotpm.pipeline.predictions}, {@code iotpm.pipeline.listener.errors}
 *       and the timer {@code iotpm.pipeline.prediction.latency} (window due → prediction published);</li>
 *   <li>storage: the timer {@code iotpm.storage.writes} (every write call, successful or not),
 *       {@code iotpm.storage.errors}, {@code iotpm.storage.batches} and {@code iotpm.storage.batch.readings}
 *       (their ratio is the mean batch size), {@code iotpm.storage.batch.size.max};</li>
 *   <li>predictor: the timer {@code iotpm.predictor.calls}, {@code iotpm.predictor.errors} (windows it failed on)
 *       and {@code iotpm.predictor.model} (1, tagged {@code version}; follows a replaced model on
 *       {@link #refresh()}).</li>
 * </ul>
 * The storage and predictor figures are the calls this pipeline made; calls a host makes directly (e.g. the
 * API's {@code POST /api/predict}) are not in them.
 */
public final class MonitoringPipelineMetrics implements IotpmBinder {

    private final MonitoringPipeline pipeline;
    private final SnapshotMeters<MonitoringPipeline, PipelineMetrics> snapshot;
    private final Tags tags;
    private MultiGauge model;
    private String version;

    /**
     * @param pipeline the pipeline, kept alive by the host
     * @param name     its name for the {@code pipeline} tag
     */
    public MonitoringPipelineMetrics(MonitoringPipeline pipeline, String name) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.tags = Tags.of("pipeline", Objects.requireNonNull(name, "name"));
        String readings = "iotpm.pipeline.readings";
        String outcome = "received readings by outcome (with pending, they add up to received)";
        this.snapshot = SnapshotMeters.of(pipeline, MonitoringPipeline::metrics).tags("pipeline", name)
                .counter(readings + ".received", "readings taken from the hub", PipelineMetrics::readingsReceived)
                .counter(readings, Tags.of("outcome", "stored"), outcome, PipelineMetrics::readingsStored)
                .counter(readings, Tags.of("outcome", "rejected"), outcome, PipelineMetrics::readingsRejected)
                .counter(readings, Tags.of("outcome", "lost"), outcome, PipelineMetrics::readingsLost)
                .gauge(readings + ".pending", "readings buffered for storage", null,
                        PipelineMetrics::readingsPending)
                .gauge("iotpm.pipeline.devices", "devices with a prediction window", null,
                        PipelineMetrics::devices)
                .counter("iotpm.pipeline.predictions", "predictions made and published", PipelineMetrics::predictions)
                .counter("iotpm.pipeline.listener.errors", "listener calls that threw", PipelineMetrics::listenerErrors)
                .timer("iotpm.pipeline.prediction.latency", "time from a batch's first window becoming due to its "
                        + "predictions being published", PipelineMetrics::predictionLatency)
                .timer("iotpm.storage.writes", "storage write calls, successful or not",
                        PipelineMetrics::storageWrites)
                .counter("iotpm.storage.errors", "failed storage calls (retried with backoff)",
                        PipelineMetrics::storageErrors)
                .counter("iotpm.storage.batches", "successful appendAll calls", m -> m.storageBatchSizes().count())
                .counter("iotpm.storage.batch.readings", "readings written by successful appendAll calls",
                        m -> m.storageBatchSizes().total())
                .gauge("iotpm.storage.batch.size.max", "largest appendAll batch (readings)", null,
                        m -> m.storageBatchSizes().max())
                .timer("iotpm.predictor.calls", "predictor calls (predictBatch, and predict on a retry), successful "
                        + "or not", PipelineMetrics::predictorCalls)
                .counter("iotpm.predictor.errors", "windows the predictor failed on", PipelineMetrics::predictorErrors)
                .build();
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        snapshot.bindTo(registry);
        model = MultiGauge.builder("iotpm.predictor.model")
                .description("1 for the model version of the latest prediction").tags(tags).register(registry);
        refresh();
    }

    @Override
    public synchronized void refresh() {
        if (model == null) {
            return;
        }
        String now = pipeline.metrics().modelVersion();
        if (now != null && !now.equals(version)) {
            version = now;
            model.register(List.of(MultiGauge.Row.of(Tags.of("version", now), 1)), true);
        }
    }

    @Override
    public synchronized void close() {
        snapshot.close();
        if (model != null) {
            model.register(List.of(), true);
        }
    }
}
