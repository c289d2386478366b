package io.iotpm.api.internal.http;

import io.iotpm.api.auth.Role;
import io.iotpm.api.internal.ApiException;
import io.iotpm.api.internal.Json;
import io.iotpm.api.internal.auth.TokenService;
import io.iotpm.api.training.ModelTrainer;
import io.iotpm.core.DeviceIds;
import io.iotpm.core.Predictor;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.storage.DeviceInfo;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code /api/model/train} and {@code /api/model/jobs}: training jobs run one at a time on the
 * {@code iotpm-api-training} thread; the newest {@value #KEEP_JOBS} jobs are kept for inspection.
 */
final class TrainingJobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.LOGGER);
    static final int KEEP_JOBS = 20;
    static final int MAX_EPOCHS = 1000;

    private final ApiContext api;
    private final ModelTrainer trainer;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(ApiServer.named("iotpm-api-training"));
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Job> jobs = new LinkedHashMap<>();

    TrainingJobs(ApiContext api, ModelTrainer trainer) {
        this.api = api;
        this.trainer = trainer;
    }

    record TrainRequest(List<String> deviceIds, String from, String to, Integer epochs) {
    }

    record EpochView(int epoch, double trainLoss, Double validationLoss) {
    }

    record JobView(long id, String status, String requestedBy, String createdAt, String startedAt, String finishedAt,
                   List<String> deviceIds, Integer epoch, Integer epochs, String stage, List<EpochView> history,
                   Map<String, Double> metrics, EvaluationView evaluation, String modelVersion, String error) {
    }

    /** A job's {@link ModelTrainer.Classification}; the matrix is {@code [[TN, FP], [FN, TP]]}. */
    record EvaluationView(double threshold, long truePositives, long falsePositives, long trueNegatives,
                          long falseNegatives, long[][] confusionMatrix, List<ModelTrainer.RocPoint> rocCurve,
                          Double brierScore, List<ModelTrainer.ReliabilityRow> reliability) {
        static EvaluationView of(ModelTrainer.Classification c) {
            return new EvaluationView(c.threshold(), c.truePositives(), c.falsePositives(), c.trueNegatives(),
                    c.falseNegatives(), new long[][] {{c.trueNegatives(), c.falsePositives()},
                    {c.falseNegatives(), c.truePositives()}}, c.rocCurve(),
                    Double.isNaN(c.brierScore()) ? null : c.brierScore(), c.reliability());
        }
    }

    /** One job; fields guarded by the job's monitor. */
    final class Job implements ModelTrainer.Progress {
        final long id;
        final String by;
        final ModelTrainer.Request request;
        final Instant created;
        String status = "queued";
        Instant started;
        Instant finished;
        Integer epoch;
        Integer epochs;
        String stage;
        final List<EpochView> history = new ArrayList<>();
        Map<String, Double> metrics;
        EvaluationView evaluation;
        String modelVersion;
        String error;
        volatile boolean cancel;

        Job(long id, String by, ModelTrainer.Request request) {
            this.id = id;
            this.by = by;
            this.request = request;
            this.created = api.settings.clock().instant();
        }

        @Override
        public synchronized void epoch(int epoch, int epochs, double trainLoss, double validationLoss) {
            this.epoch = epoch;
            this.epochs = epochs;
            history.add(new EpochView(epoch, trainLoss, Double.isNaN(validationLoss) ? null : validationLoss));
            if (history.size() > MAX_EPOCHS) {
                history.remove(0);
            }
        }

        @Override
        public synchronized void stage(String message) {
            this.stage = message;
        }

        @Override
        public synchronized void metrics(Map<String, Double> metrics) {
            this.metrics = Map.copyOf(metrics);
        }

        @Override
        public synchronized void classification(ModelTrainer.Classification classification) {
            this.evaluation = EvaluationView.of(classification);
        }

        @Override
        public boolean cancelled() {
            return cancel;
        }

        synchronized JobView view() {
            return new JobView(id, status, by, created.toString(), str(started), str(finished), request.deviceIds(),
                    epoch, epochs, stage, List.copyOf(history), metrics, evaluation, modelVersion, error);
        }

        synchronized boolean finished() {
            return finished != null;
        }

        void run() {
            synchronized (this) {
                if (cancel) {
                    status = "cancelled";
                    finished = api.settings.clock().instant();
                    return;
                }
                status = "running";
                started = api.settings.clock().instant();
            }
            try {
                Predictor trained = trainer.train(request, this);
                if (trained == null) {
                    throw new IllegalStateException("trainer returned no predictor");
                }
                if (!trained.schema().equals(api.settings.schema())) {
                    trained.close();
                    throw new IllegalStateException("trained predictor has schema '" + trained.schema().name()
                            + "', the server serves '" + api.settings.schema().name() + "'");
                }
                if (cancel) {
                    trained.close();
                    throw new InterruptedException("cancelled");
                }
                api.replacePredictor(trained);
                DriftFollower.follow(api, modelVersion(trained), request.from(), request.to());
                synchronized (this) {
                    modelVersion = modelVersion(trained);
                    end("succeeded");
                }
            } catch (InterruptedException e) {
                end("cancelled");
            } catch (Exception | LinkageError e) {
                LOG.warn("training job {} failed", id, e);
                synchronized (this) {
                    error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    end(cancel ? "cancelled" : "failed");
                }
            } finally {
                synchronized (this) {
                    if (finished == null) {
                        end("failed");
                    }
                }
            }
        }

        /**
         * Sets the final status and the finish time in one step: a client that sees "succeeded" may start the
         * next job at once, and a job whose status is final must never be reported (or counted) as running.
         */
        private synchronized void end(String finalStatus) {
            status = finalStatus;
            finished = api.settings.clock().instant();
        }
    }

    private static String modelVersion(Predictor p) {
        try {
            Object v = p.getClass().getMethod("version").invoke(p);
            return v == null ? null : v.toString();
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    void register(RoutesConfig r) {
        r.post("/api/model/train", this::start, Role.ADMIN);
        r.get("/api/model/jobs", this::list, Role.VIEWER);
        r.get("/api/model/jobs/{id}", this::one, Role.VIEWER);
        r.post("/api/model/jobs/{id}/cancel", this::cancel, Role.ADMIN);
    }

    private void start(Context ctx) {
        if (trainer == null) {
            throw new ApiException(503, "no_trainer", "no model trainer is configured on this server", null);
        }
        byte[] body = ctx.bodyAsBytes();
        TrainRequest req = body.length == 0 ? new TrainRequest(null, null, null, null) : Json.read(body, TrainRequest.class);
        List<String> devices;
        if (req.deviceIds() == null) {
            devices = api.settings.storage().devices().stream().map(DeviceInfo::deviceId).toList();
        } else {
            for (int i = 0; i < req.deviceIds().size(); i++) {
                if (!DeviceIds.isValid(req.deviceIds().get(i))) {
                    throw ApiException.badRequest("device_ids[" + i + "]", "field 'device_ids[" + i
                            + "]' is not a valid device id");
                }
            }
            devices = List.copyOf(new LinkedHashSet<>(req.deviceIds()));
        }
        if (devices.isEmpty()) {
            throw new ApiException(422, "insufficient_data", "there are no devices with data to train on", null);
        }
        Instant now = api.settings.clock().instant();
        Instant to = req.to() == null ? DeviceHandlers.END_OF_TIME : timestamp("to", req.to());
        Instant from = req.from() == null ? Instant.EPOCH : timestamp("from", req.from());
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from", "'from' must be before 'to'");
        }
        if (req.epochs() != null && (req.epochs() < 1 || req.epochs() > MAX_EPOCHS)) {
            throw ApiException.badRequest("epochs", "field 'epochs' must be in [1, " + MAX_EPOCHS + "], but was "
                    + req.epochs());
        }
        TokenService.Principal p = ctx.attribute(ServerSetup.PRINCIPAL);
        Job job;
        synchronized (jobs) {
            for (Job j : jobs.values()) {
                if (!j.finished()) {
                    throw new ApiException(409, "conflict", "training job " + j.id + " is still " + j.view().status(), null);
                }
            }
            job = new Job(ids.incrementAndGet(), p.username(),
                    new ModelTrainer.Request(api.settings.storage(), devices, from, to, req.epochs()));
            jobs.put(job.id, job);
            while (jobs.size() > KEEP_JOBS) {
                jobs.remove(jobs.keySet().iterator().next());
            }
        }
        LOG.info("training job {} started by {} on {} device(s) at {}", job.id, p.username(), devices.size(), now);
        Job j = job;
        executor.execute(j::run);
        ctx.status(202).header("Location", "/api/model/jobs/" + job.id).json(job.view());
    }

    private static Instant timestamp(String field, String text) {
        try {
            return ReadingJson.parseTimestamp(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field, "field '" + field + "' must be an ISO-8601 date-time, but was '"
                    + Params.abbreviate(text) + "'");
        }
    }

    private void list(Context ctx) {
        List<JobView> out = new ArrayList<>();
        synchronized (jobs) {
            for (Job j : jobs.values()) {
                out.add(0, j.view());
            }
        }
        ctx.json(Map.of("jobs", out, "count", out.size()));
    }

    private Job job(Context ctx) {
        String v = ctx.pathParam("id");
        long id;
        try {
            id = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("id", "path parameter 'id' must be an integer, but was '" + Params.abbreviate(v) + "'");
        }
        synchronized (jobs) {
            Job j = jobs.get(id);
            if (j == null) {
                throw ApiException.notFound("no training job " + id);
            }
            return j;
        }
    }

    private void one(Context ctx) {
        ctx.json(job(ctx).view());
    }

    private void cancel(Context ctx) {
        Job j = job(ctx);
        if (j.finished()) {
            throw new ApiException(409, "conflict", "training job " + j.id + " has already finished", null);
        }
        j.cancel = true;
        ctx.status(202).json(j.view());
    }

    @Override
    public void close() {
        synchronized (jobs) {
            jobs.values().forEach(j -> j.cancel = true);
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("training thread did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }

}
