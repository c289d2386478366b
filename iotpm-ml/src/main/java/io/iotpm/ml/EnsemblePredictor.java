package io.iotpm.ml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpm.core.DeviceWindow;
import io.iotpm.core.Prediction;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Several {@link LstmPredictor}s trained with different seeds, predicting together: the mean of
 * their failure probabilities (classifiers) or of their remaining-useful-life estimates (RUL
 * models). Averaging K networks that differ only in initial weights, dropout masks, batch order
 * and validation devices removes part of each one's variance; on C-MAPSS FD001 it lowered the
 * validation RMSE (see the README).
 *
 * <pre>{@code
 * try (EnsemblePredictor e = EnsemblePredictor.train(LstmPredictor.builder(schema).horizon(30), 5, data,
 *         TrainingListener.NONE)) {
 *     Prediction p = e.predict("PUMP_001", window);
 *     e.save(dir);                                  // later: EnsemblePredictor.load(dir, schema)
 * }
 * }</pre>
 *
 * <p><b>Decision.</b> A classifier ensemble's {@code maintenanceNeeded} is "mean probability at or
 * above the mean of the members' validation-chosen thresholds"; an RUL ensemble's is "mean RUL at
 * or below the horizon", and its {@code failureProbability} is the first member's calibrated
 * probability of the mean RUL. Risk levels use the first member's risk thresholds and maintenance
 * level, with that level starting at the ensemble's decision (so they agree with {@code maintenanceNeeded}).
 *
 * <p><b>Windows.</b> Members may read windows of different lengths (an ensemble of a 30-, a 50- and an
 * 80-step model): the ensemble's {@link #sequenceLength()} is the longest, its {@link #minHistory()}
 * the largest of the members' minimum histories, and each member reads the newest readings it needs
 * from the window it is given.
 *
 * <p><b>Threads.</b> Safe to call from many threads, as its members are. {@link #close()} closes
 * every member.
 */
public final class EnsemblePredictor implements Predictor {

    private static final String MANIFEST = "ensemble.json";
    private static final String KIND = "iotpm-ensemble";
    private static final int FORMAT_VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<LstmPredictor> members;
    private final LstmPredictor first;
    private final double threshold;
    private final RiskScale scale;
    private final String version;
    private final int sequenceLength;
    private final int minHistory;

    private EnsemblePredictor(List<LstmPredictor> members) {
        this.members = List.copyOf(members);
        this.first = this.members.get(0);
        this.sequenceLength = this.members.stream().mapToInt(LstmPredictor::sequenceLength).max().orElseThrow();
        this.minHistory = this.members.stream().mapToInt(LstmPredictor::minHistory).max().orElseThrow();
        boolean rul = first.task() == LstmPredictor.Task.RUL_REGRESSION;
        // An RUL ensemble's probability is the first member's calibration of the mean RUL, so its decision is too.
        this.threshold = rul ? first.rulProbability(first.horizon())
                : members.stream().mapToDouble(LstmPredictor::threshold).average().orElseThrow();
        this.scale = first.config().riskScale().around(threshold);
        this.version = "ensemble-" + digest(members);
    }

    /**
     * Combines trained predictors; the ensemble owns them from now on ({@link #close()} closes them).
     *
     * @param members at least one trained predictor; all of one schema, task and horizon (their windows
     *                and minimum histories may differ)
     * @return the ensemble
     * @throws IllegalArgumentException if the list is empty or the members disagree, naming the setting
     * @throws IllegalStateException    if a member is not trained
     */
    public static EnsemblePredictor of(List<LstmPredictor> members) {
        Objects.requireNonNull(members, "members");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        LstmPredictor a = members.get(0);
        for (int i = 0; i < members.size(); i++) {
            LstmPredictor m = Objects.requireNonNull(members.get(i), "member " + i);
            if (!m.isTrained()) {
                throw new IllegalStateException("ensemble member " + i + " is not trained");
            }
            if (!m.schema().equals(a.schema()) || m.task() != a.task() || m.horizon() != a.horizon()) {
                throw new IllegalArgumentException("ensemble member " + i + " (schema '" + m.schema().name() + "', "
                        + m.task() + ", horizon " + m.horizon() + ") does not match member 0 (schema '"
                        + a.schema().name() + "', " + a.task() + ", horizon " + a.horizon() + ")");
            }
        }
        return new EnsemblePredictor(members);
    }

    /**
     * Trains {@code size} predictors from one builder, member {@code i} with seed {@code base + i}
     * where {@code base} is the builder's seed, so the ensemble is as reproducible as one model. Each
     * member holds out its own validation devices (the split follows the seed).
     *
     * @param builder  the settings of every member (not changed)
     * @param size     number of members, 1 to 100
     * @param data     the training data
     * @param listener follows every member's training, in turn
     * @return the trained ensemble
     * @throws IllegalArgumentException if {@code size} is out of range, or as {@link LstmPredictor#train}
     */
    public static EnsemblePredictor train(LstmPredictor.Builder builder, int size, TrainingSet data,
                                          TrainingListener listener) {
        Objects.requireNonNull(builder, "builder");
        if (size < 1 || size > 100) {
            throw new IllegalArgumentException("ensemble size must be in [1, 100], but was " + size);
        }
        long base = builder.seed();
        return trainEach(size, i -> builder.build(base + i), data, listener);
    }

    /**
     * Trains one predictor per builder, each with its own settings and seed (for members that differ in
     * more than the seed, e.g. their windows), in list order.
     *
     * <pre>{@code
     * List<LstmPredictor.Builder> members = List.of(base().sequenceLength(30).seed(42),
     *         base().sequenceLength(50).seed(43), base().sequenceLength(80).seed(44));
     * EnsemblePredictor e = EnsemblePredictor.train(members, data, TrainingListener.NONE);
     * }</pre>
     *
     * @param builders one builder per member, 1 to 100 (not changed)
     * @param data     the training data
     * @param listener follows every member's training, in turn
     * @return the trained ensemble
     * @throws IllegalArgumentException if the list size is out of range, the members would not match (see
     *                                  {@link #of(List)}), or as {@link LstmPredictor#train}
     */
    public static EnsemblePredictor train(List<LstmPredictor.Builder> builders, TrainingSet data,
                                          TrainingListener listener) {
        Objects.requireNonNull(builders, "builders");   // List.copyOf below rejects a null builder
        if (builders.isEmpty() || builders.size() > 100) {
            throw new IllegalArgumentException("ensemble size must be in [1, 100], but was " + builders.size());
        }
        List<LstmPredictor.Builder> copy = List.copyOf(builders);
        return trainEach(copy.size(), i -> copy.get(i).build(), data, listener);
    }

    private static EnsemblePredictor trainEach(int size, IntFunction<LstmPredictor> member, TrainingSet data,
                                               TrainingListener listener) {
        List<LstmPredictor> trained = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                LstmPredictor m = member.apply(i);
                trained.add(m);
                m.train(data, listener);
            }
            return of(trained);
        } catch (RuntimeException e) {
            trained.forEach(LstmPredictor::close);
            throw e;
        }
    }

    /** @return the members, in training order (owned by the ensemble: do not close them) */
    public List<LstmPredictor> members() {
        return members;
    }

    /**
     * @return the probability from which maintenance is needed: for a classifier ensemble, the mean of
     *         the members' decision thresholds; for an RUL ensemble, its probability at RUL = horizon
     */
    public double threshold() {
        return threshold;
    }

    /** @return {@code ensemble-} and 12 hex digits of the SHA-256 of the members' versions */
    public String version() {
        return version;
    }

    @Override
    public SensorSchema schema() {
        return first.schema();
    }

    /** @return the longest of the members' windows */
    @Override
    public int sequenceLength() {
        return sequenceLength;
    }

    /**
     * @return the fewest readings per window every member accepts: the largest of their
     *         {@link LstmPredictor#minHistory()}
     */
    @Override
    public int minHistory() {
        return minHistory;
    }

    @Override
    public Prediction predict(String deviceId, List<SensorReading> window) {
        return predictBatch(List.of(new DeviceWindow(deviceId, window))).get(0);
    }

    @Override
    public List<Prediction> predictBatch(List<DeviceWindow> windows) {
        Objects.requireNonNull(windows, "windows");
        int n = windows.size();
        double[] sum = new double[n];
        boolean rul = first.task() == LstmPredictor.Task.RUL_REGRESSION;
        for (LstmPredictor m : members) {
            List<Prediction> ps = m.predictBatch(windows);
            for (int i = 0; i < n; i++) {
                sum[i] += rul ? ps.get(i).remainingUsefulLife() : ps.get(i).failureProbability();
            }
        }
        List<Prediction> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            DeviceWindow w = windows.get(i);
            double mean = sum[i] / members.size();
            double p = rul ? first.rulProbability(mean) : mean;
            boolean needed = rul ? mean <= first.horizon() : p >= threshold;
            out.add(new Prediction(w.deviceId(), w.readings().get(w.readings().size() - 1).timestamp(), p,
                    scale.level(p, needed), needed, rul ? mean : Double.NaN, version));
        }
        return out;
    }

    /**
     * Writes every member with {@link LstmPredictor#save(Path)} to {@code member-1}, {@code member-2},
     * ... and then {@code ensemble.json} (format version and member count).
     *
     * @param dir the folder, created if missing
     * @throws IOException if writing fails
     */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < members.size(); i++) {
            members.get(i).save(dir.resolve("member-" + (i + 1)));
        }
        Path tmp = dir.resolve(MANIFEST + ".tmp");
        MAPPER.writeValue(tmp.toFile(), Map.of("kind", KIND, "formatVersion", FORMAT_VERSION, "members", members.size()));
        Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Loads an ensemble written by {@link #save(Path)}.
     *
     * @param dir    the folder
     * @param schema the schema the caller's readings have
     * @return the ensemble
     * @throws IOException              if the manifest or a member is missing, malformed or newer
     * @throws IllegalArgumentException if a member's schema differs
     */
    public static EnsemblePredictor load(Path dir, SensorSchema schema) throws IOException {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new IOException("not an ensemble folder: " + manifest + " is missing");
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(manifest.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(manifest + " is truncated or not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (json == null || !KIND.equals(json.path("kind").asText())) {
            throw new IOException(manifest + " is not an iotpm ensemble (\"kind\" is not \"" + KIND + "\")");
        }
        int format = json.path("formatVersion").asInt(-1);
        if (format > FORMAT_VERSION || format < 1) {
            throw new IOException(manifest + " has format version " + format + "; this iotpm-ml reads 1 to "
                    + FORMAT_VERSION + " (upgrade iotpm-ml for newer ones)");
        }
        int count = json.path("members").asInt(0);
        if (count < 1 || count > 100) {
            throw new IOException(manifest + " names " + json.path("members") + " members; expected 1 to 100");
        }
        List<LstmPredictor> loaded = new ArrayList<>();
        try {
            for (int i = 1; i <= count; i++) {
                loaded.add(Predictors.load(dir.resolve("member-" + i), schema));
            }
            return of(loaded);
        } catch (IOException | RuntimeException e) {
            loaded.forEach(LstmPredictor::close);
            throw e;
        }
    }

    /** Closes every member. */
    @Override
    public void close() {
        members.forEach(LstmPredictor::close);
    }

    private static String digest(List<LstmPredictor> members) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (LstmPredictor m : members) {
                md.update(m.version().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(Arrays.copyOf(md.digest(), 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }
}
