package io.iotpm.ml.tensorflow;

import ai.djl.engine.Engine;

import com.sun.jna.Library;
import com.sun.jna.Native;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * Provides libtensorflow to DJL's TensorFlow engine without any download.
 *
 * <p>DJL fetches libtensorflow from the internet the first time its TensorFlow engine loads, unless
 * {@code TENSORFLOW_LIBRARY_PATH} (environment variable or system property) names a folder that holds
 * {@code libjnitensorflow.so}. This class takes the three native libraries from the Maven jar
 * {@value #MAVEN_COORDINATES} (TensorFlow {@value #TENSORFLOW_VERSION}) on the class path, extracts
 * them once to a cache folder and sets that system property. It runs, once per JVM, before
 * {@link SavedModelPredictor} first touches the engine; hosts need not call it themselves.
 *
 * <p>The cache folder is, in order: the system property {@value #CACHE_DIR_PROPERTY}, the
 * environment variable {@value #CACHE_DIR_ENV}, else {@code $XDG_CACHE_HOME/iotpm} or
 * {@code ~/.cache/iotpm}. Two JVMs starting at once are safe: extraction holds a file lock and each
 * library is written to a temporary file, then moved into place atomically; a marker file written
 * last says the folder is complete. A {@code TENSORFLOW_LIBRARY_PATH} the host already set wins.
 *
 * <p>libtensorflow loads once per process, so installing it makes process-wide settings, each only
 * when the host has not made it: the {@value #LIBRARY_PATH_PROPERTY} system property,
 * {@code org.bytedeco.javacpp.pathsFirst=true} (else JavaCPP would extract the same libraries again,
 * into {@code ~/.javacpp/cache}), and the environment variable {@code TF_CPP_MIN_LOG_LEVEL=1} (else
 * TensorFlow prints INFO lines to stderr).
 *
 * <p>Only Linux on x86-64 is provided (the one classifier this module depends on).
 */
public final class TensorFlowNatives {

    /** The Maven artifact that holds the natives. */
    public static final String MAVEN_COORDINATES = "org.tensorflow:tensorflow-core-native:1.0.0:linux-x86_64";
    /** TensorFlow version of those natives. */
    public static final String TENSORFLOW_VERSION = "2.16.2";
    /** System property naming the cache folder. */
    public static final String CACHE_DIR_PROPERTY = "iotpm.tensorflow.cache";
    /** Environment variable naming the cache folder (used when the property is absent). */
    public static final String CACHE_DIR_ENV = "IOTPM_TENSORFLOW_CACHE";
    /** The property (or environment variable) DJL reads to find libtensorflow. */
    public static final String LIBRARY_PATH_PROPERTY = "TENSORFLOW_LIBRARY_PATH";

    static final String ENGINE = "TensorFlow";
    static final String TF_LOG_LEVEL_ENV = "TF_CPP_MIN_LOG_LEVEL";
    static final String PATHS_FIRST_PROPERTY = "org.bytedeco.javacpp.pathsFirst";
    static final String RESOURCE_DIR = "org/tensorflow/internal/c_api/linux-x86_64/";
    static final String JNI_LIBRARY = "libjnitensorflow.so";
    /** Dependencies first, so a half-extracted folder never holds the one DJL looks for. */
    static final List<String> LIBRARIES = List.of("libtensorflow_framework.so.2", "libtensorflow_cc.so.2",
            JNI_LIBRARY);
    static final String FOLDER = "tensorflow-" + TENSORFLOW_VERSION + "-linux-x86_64";
    private static final String COMPLETE_MARKER = ".complete";

    private static final Logger LOG = LoggerFactory.getLogger(TensorFlowNatives.class);

    /** The folder installed in this JVM; the native library loads once per process, so this is too. */
    private static Path installed;

    private TensorFlowNatives() {
    }

    /**
     * Makes sure DJL will find libtensorflow locally: extracts it to the configured cache folder if
     * needed and sets {@value #LIBRARY_PATH_PROPERTY}. Idempotent and thread-safe.
     *
     * @return the folder holding the native libraries
     * @throws IllegalStateException if the platform is not Linux x86-64, the natives jar is not on the
     *                               class path (the message names the Maven coordinates), or extraction fails
     */
    public static synchronized Path ensureInstalled() {
        if (installed != null) {
            return installed;
        }
        Path preset = presetLibraryPath();
        if (preset != null) {
            LOG.debug("Using TensorFlow natives from {}={}", LIBRARY_PATH_PROPERTY, preset);
            installed = preset;
            return installed;
        }
        installed = install(defaultCacheRoot());
        return installed;
    }

    /**
     * Extracts the natives under {@code cacheRoot} (in a sub-folder named after the TensorFlow
     * version) unless they are already there, and points {@value #LIBRARY_PATH_PROPERTY} at them
     * unless the host set it already. Use this instead of {@link #ensureInstalled()} to choose the
     * cache folder in code; it must run before DJL's TensorFlow engine first loads.
     *
     * @param cacheRoot folder under which the libraries are kept
     * @return the folder holding the native libraries
     * @throws IllegalStateException as {@link #ensureInstalled()}
     */
    public static synchronized Path install(Path cacheRoot) {
        Path dir = extract(cacheRoot, TensorFlowNatives.class.getClassLoader());
        if (presetLibraryPath() == null) {
            System.setProperty(LIBRARY_PATH_PROPERTY, dir.toString());
        }
        // JavaCPP would otherwise find the same libraries in the jar and extract them a second time,
        // to ~/.javacpp/cache, before looking in the folder DJL points it at.
        if (System.getProperty(PATHS_FIRST_PROPERTY) == null) {
            System.setProperty(PATHS_FIRST_PROPERTY, "true");
        }
        quietNativeLogs();
        installed = dir;
        return dir;
    }

    /** Extraction alone, without touching system properties; the unit under test. */
    @SuppressWarnings("try") // the lock is held for the block, never referenced
    static Path extract(Path cacheRoot, ClassLoader loader) {
        checkPlatform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
        Path dir = cacheRoot.toAbsolutePath().resolve(FOLDER);
        if (isComplete(dir)) {
            return dir;
        }
        URL[] sources = new URL[LIBRARIES.size()];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = loader.getResource(RESOURCE_DIR + LIBRARIES.get(i));
            if (sources[i] == null) {
                throw new IllegalStateException("TensorFlow native library " + LIBRARIES.get(i)
                        + " is not on the class path; add the Maven dependency " + MAVEN_COORDINATES
                        + " (groupId org.tensorflow, artifactId tensorflow-core-native, version 1.0.0,"
                        + " classifier linux-x86_64)");
            }
        }
        try {
            Files.createDirectories(dir);
            Path lockFile = cacheRoot.toAbsolutePath().resolve(FOLDER + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                // Another JVM may have finished while this one waited for the lock.
                if (isComplete(dir)) {
                    return dir;
                }
                LOG.info("Extracting TensorFlow {} natives to {} (once)", TENSORFLOW_VERSION, dir);
                for (int i = 0; i < sources.length; i++) {
                    copyAtomically(sources[i], dir.resolve(LIBRARIES.get(i)));
                }
                Path marker = Files.createTempFile(dir, COMPLETE_MARKER, ".tmp");
                Files.writeString(marker, MAVEN_COORDINATES + "\n", StandardCharsets.UTF_8);
                move(marker, dir.resolve(COMPLETE_MARKER));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract TensorFlow natives to " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /**
     * Provides the natives, then loads DJL's TensorFlow engine, which points JavaCPP at them; the
     * TensorFlow Java graph API must not be touched before this ran.
     */
    static Engine engine() {
        ensureInstalled();
        try {
            return Engine.getEngine(ENGINE);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("DJL's TensorFlow engine is not on the class path; add the Maven"
                    + " dependency ai.djl.tensorflow:tensorflow-engine:0.36.0", e);
        }
    }

    /**
     * libtensorflow prints INFO lines (oneDNN, "Reading SavedModel from ...") straight to stderr
     * unless {@code TF_CPP_MIN_LOG_LEVEL} is set in the process environment when it loads. A library
     * must not make console noise, so set it to 1 (warnings and errors still show) unless the host
     * chose a level. Java cannot change its own environment, hence libc's setenv through JNA.
     */
    private static void quietNativeLogs() {
        if (System.getenv(TF_LOG_LEVEL_ENV) != null) {
            return;
        }
        try {
            LibC libc = Native.load("c", LibC.class);
            libc.setenv(TF_LOG_LEVEL_ENV, "1", 0);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Cannot set {}; TensorFlow may log INFO lines to stderr", TF_LOG_LEVEL_ENV, e);
        }
    }

    /** The one libc function needed. */
    interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    static void checkPlatform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("TensorFlow natives are provided for linux-x86_64 only, but this is "
                    + osName + " " + osArch + "; set " + LIBRARY_PATH_PROPERTY
                    + " to a folder holding libjnitensorflow for this platform");
        }
    }

    static Path defaultCacheRoot() {
        String configured = System.getProperty(CACHE_DIR_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(CACHE_DIR_ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Paths.get(xdg, "iotpm");
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "iotpm");
    }

    private static Path presetLibraryPath() {
        String preset = System.getProperty(LIBRARY_PATH_PROPERTY);
        if (preset == null || preset.isBlank()) {
            preset = System.getenv(LIBRARY_PATH_PROPERTY);
        }
        if (preset == null || preset.isBlank()) {
            return null;
        }
        return Paths.get(preset);
    }

    private static boolean isComplete(Path dir) {
        if (!Files.isRegularFile(dir.resolve(COMPLETE_MARKER))) {
            return false;
        }
        for (String lib : LIBRARIES) {
            if (!Files.isRegularFile(dir.resolve(lib))) {
                return false;
            }
        }
        return true;
    }

    private static void copyAtomically(URL source, Path target) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            try (InputStream in = source.openStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            move(tmp, target);
        } catch (IOException | UncheckedIOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
