package io.iotpm.core.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The training distribution a {@link DriftMonitor} compares live readings with: per channel, bin edges
 * cut at the training data's quantiles (so each bin held about the same share of training readings)
 * and the share each bin really held. Immutable; small (a few numbers per channel), so it is saved
 * beside a model as {@value #FILE_NAME} ({@link #write(Path)}) or rebuilt from the training readings.
 */
public final class DriftReference {

    /** Default number of bins per channel, the usual choice for PSI. */
    public static final int DEFAULT_BINS = 10;
    /** File name {@link #write(Path)} uses inside a model folder. */
    public static final String FILE_NAME = "drift-reference.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 1;

    private final List<String> channels;
    private final double[][] edges;        // per channel: ascending interior cut points; value < edges[i] → bin ≤ i
    private final double[][] proportions;  // per channel: training share of each of edges.length + 1 bins
    private final long samples;

    private DriftReference(List<String> channels, double[][] edges, double[][] proportions, long samples) {
        this.channels = List.copyOf(channels);
        this.edges = edges;
        this.proportions = proportions;
        this.samples = samples;
    }

    /**
     * Cuts {@value #DEFAULT_BINS} bins per channel of {@code schema} at the quantiles of the readings.
     *
     * @see #fromReadings(SensorSchema, Iterable, int)
     */
    public static DriftReference fromReadings(SensorSchema schema, Iterable<SensorReading> readings) {
        return fromReadings(schema, readings, DEFAULT_BINS);
    }

    /**
     * Cuts {@code bins} bins per channel at the quantiles of the training readings and counts their
     * shares. Repeated values merge bins (a channel with three distinct values gets at most three).
     * Missing values (NaN) are skipped.
     *
     * @param schema   the channels to watch; readings of another schema contribute the channels it shares
     * @param readings the training data
     * @param bins     bins per channel, 2 to 100
     * @return the reference
     * @throws IllegalArgumentException if {@code bins} is out of range, or a channel has no value at all
     */
    public static DriftReference fromReadings(SensorSchema schema, Iterable<SensorReading> readings, int bins) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(readings, "readings");
        if (bins < 2 || bins > 100) {
            throw new IllegalArgumentException("bins must be in [2, 100], but was " + bins);
        }
        int f = schema.size();
        double[][] values = new double[f][1024];
        int[] n = new int[f];
        long total = 0;
        for (SensorReading r : readings) {
            total++;
            SensorSchema s = r.schema();
            for (int c = 0; c < f; c++) {
                int i = s == schema ? c : s.indexOf(schema.channelName(c));
                double v = i < 0 ? Double.NaN : r.value(i);
                if (!Double.isNaN(v)) {
                    if (n[c] == values[c].length) {
                        values[c] = Arrays.copyOf(values[c], n[c] * 2);
                    }
                    values[c][n[c]++] = v;
                }
            }
        }
        double[][] edges = new double[f][];
        double[][] shares = new double[f][];
        List<String> names = new ArrayList<>(f);
        for (int c = 0; c < f; c++) {
            names.add(schema.channelName(c));
            if (n[c] == 0) {
                throw new IllegalArgumentException("channel '" + schema.channelName(c) + "' has no value in the "
                        + total + " training readings");
            }
            double[] sorted = Arrays.copyOf(values[c], n[c]);
            Arrays.sort(sorted);
            edges[c] = quantileEdges(sorted, bins);
            int[] counts = new int[edges[c].length + 1];
            for (double v : sorted) {
                counts[bin(edges[c], v)]++;
            }
            shares[c] = new double[counts.length];
            for (int b = 0; b < counts.length; b++) {
                shares[c][b] = (double) counts[b] / n[c];
            }
        }
        return new DriftReference(names, edges, shares, total);
    }

    /** Interior cut points at the j/bins quantiles, strictly ascending (ties merge bins). */
    private static double[] quantileEdges(double[] sorted, int bins) {
        double[] cuts = new double[bins - 1];
        int m = 0;
        for (int j = 1; j < bins; j++) {
            double q = sorted[(int) ((long) j * sorted.length / bins)];
            // A cut equal to the minimum would leave the first bin empty in training.
            if (q > sorted[0] && (m == 0 || q > cuts[m - 1])) {
                cuts[m++] = q;
            }
        }
        return Arrays.copyOf(cuts, m);
    }

    /** @return the bin of {@code v}: the number of edges at or below it */
    static int bin(double[] edges, double v) {
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (v >= edges[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * @param channel index into {@link #channels()}
     * @param value   a value of that channel
     * @return the bin the value falls into, 0 to {@code edges(channel).length}
     */
    public int bin(int channel, double value) {
        return bin(edges[channel], value);
    }

    /** @return the channel names, in the order of the schema it was built from */
    public List<String> channels() {
        return channels;
    }

    /** @return the number of training readings it was built from */
    public long samples() {
        return samples;
    }

    /**
     * @param channel index into {@link #channels()}
     * @return a copy of the channel's ascending interior bin edges (bins = length + 1)
     */
    public double[] edges(int channel) {
        return edges[channel].clone();
    }

    /**
     * @param channel index into {@link #channels()}
     * @return a copy of the training share of each bin of the channel (sums to 1)
     */
    public double[] proportions(int channel) {
        return proportions[channel].clone();
    }

    double[] edgesView(int channel) {
        return edges[channel];
    }

    double[] proportionsView(int channel) {
        return proportions[channel];
    }

    /** @return this reference as JSON ({@link #fromJson(String)} reads it back) */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("samples", samples);
        ArrayNode list = root.putArray("channels");
        for (int c = 0; c < channels.size(); c++) {
            ObjectNode ch = list.addObject();
            ch.put("name", channels.get(c));
            ArrayNode e = ch.putArray("edges");
            Arrays.stream(edges[c]).forEach(e::add);
            ArrayNode p = ch.putArray("proportions");
            Arrays.stream(proportions[c]).forEach(p::add);
        }
        return root.toString();
    }

    /**
     * @param json what {@link #toJson()} wrote
     * @return the reference
     * @throws IllegalArgumentException if the JSON is malformed, of a newer format, or inconsistent
     *                                  (edges not ascending, shares not one more than edges or not summing to 1)
     */
    public static DriftReference fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("drift reference is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.path("channels").isArray()) {
            throw new IllegalArgumentException("drift reference JSON has no 'channels' array");
        }
        int format = root.path("format").asInt(-1);
        if (format < 1 || format > FORMAT) {
            throw new IllegalArgumentException("drift reference format " + format + " is not supported (this"
                    + " library reads format " + FORMAT + ")");
        }
        JsonNode list = root.get("channels");
        List<String> names = new ArrayList<>();
        double[][] edges = new double[list.size()][];
        double[][] shares = new double[list.size()][];
        for (int c = 0; c < list.size(); c++) {
            JsonNode ch = list.get(c);
            String name = ch.path("name").asText("");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("drift reference channel " + c + " has no name");
            }
            names.add(name);
            edges[c] = numbers(ch.path("edges"), name, "edges");
            shares[c] = numbers(ch.path("proportions"), name, "proportions");
            check(name, edges[c], shares[c]);
        }
        return new DriftReference(names, edges, shares, root.path("samples").asLong(0));
    }

    private static double[] numbers(JsonNode array, String channel, String field) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("drift reference channel '" + channel + "' has no '" + field
                    + "' array");
        }
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw new IllegalArgumentException("drift reference channel '" + channel + "' " + field + "[" + i
                        + "] is not a finite number: " + v);
            }
            out[i] = v.asDouble();
        }
        return out;
    }

    private static void check(String channel, double[] edges, double[] shares) {
        for (int i = 1; i < edges.length; i++) {
            if (!(edges[i] > edges[i - 1])) {
                throw new IllegalArgumentException("drift reference channel '" + channel
                        + "' edges are not strictly ascending: " + Arrays.toString(edges));
            }
        }
        if (shares.length != edges.length + 1) {
            throw new IllegalArgumentException("drift reference channel '" + channel + "' has " + shares.length
                    + " proportions for " + edges.length + " edges; expected " + (edges.length + 1));
        }
        double sum = 0;
        for (double s : shares) {
            if (s < 0) {
                throw new IllegalArgumentException("drift reference channel '" + channel
                        + "' has a negative proportion: " + Arrays.toString(shares));
            }
            sum += s;
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("drift reference channel '" + channel + "' proportions sum to "
                    + sum + ", not 1");
        }
    }

    /**
     * Writes {@link #toJson()} to {@value #FILE_NAME} in {@code folder} (e.g. a model folder).
     *
     * @return the file written
     * @throws UncheckedIOException if it cannot be written
     */
    public Path write(Path folder) {
        Path file = folder.resolve(FILE_NAME);
        try {
            Files.createDirectories(folder);
            Files.writeString(file, toJson(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write drift reference " + file, e);
        }
    }

    /**
     * @param folder a folder {@link #write(Path)} wrote into
     * @return the reference saved there
     * @throws UncheckedIOException     if the file cannot be read (e.g. it does not exist)
     * @throws IllegalArgumentException if its content is not a valid reference
     */
    public static DriftReference read(Path folder) {
        Path file = folder.resolve(FILE_NAME);
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read drift reference " + file, e);
        }
    }
}
