package io.iotpm.ml.tensorflow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Extraction, on small stand-in libraries served by a class loader like the natives jar. */
class TensorFlowNativesTest {

    /** A class-path root holding stand-in libraries of {@code size} bytes at the jar's resource paths. */
    static ClassLoader fakeNativesJar(Path root, int size) throws Exception {
        Path dir = root.resolve(TensorFlowNatives.RESOURCE_DIR);
        Files.createDirectories(dir);
        Random rnd = new Random(1);
        for (String lib : TensorFlowNatives.LIBRARIES) {
            byte[] b = new byte[size];
            rnd.nextBytes(b);
            Files.write(dir.resolve(lib), b);
        }
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    }

    @Test
    void extract_copiesAllLibrariesOnceAndMarksTheFolderComplete(@TempDir Path tmp) throws Exception {
        ClassLoader jar = fakeNativesJar(tmp.resolve("jar"), 1000);
        Path cache = tmp.resolve("cache");
        Path dir = TensorFlowNatives.extract(cache, jar);
        for (String lib : TensorFlowNatives.LIBRARIES) {
            assertThat(dir.resolve(lib)).hasSameBinaryContentAs(tmp.resolve("jar").resolve(TensorFlowNatives.RESOURCE_DIR + lib));
        }
        assertThat(dir.resolve(".complete")).exists();
        FileTime before = Files.getLastModifiedTime(dir.resolve(TensorFlowNatives.JNI_LIBRARY));
        Files.setLastModifiedTime(dir.resolve(TensorFlowNatives.JNI_LIBRARY), FileTime.fromMillis(1000));
        assertThat(TensorFlowNatives.extract(cache, jar)).isEqualTo(dir);
        assertThat(Files.getLastModifiedTime(dir.resolve(TensorFlowNatives.JNI_LIBRARY)))
                .as("second call must not rewrite").isEqualTo(FileTime.fromMillis(1000)).isNotEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void extract_redoesAnInterruptedExtraction(@TempDir Path tmp) throws Exception {
        ClassLoader jar = fakeNativesJar(tmp.resolve("jar"), 1000);
        Path cache = tmp.resolve("cache");
        Path dir = TensorFlowNatives.extract(cache, jar);
        Files.delete(dir.resolve(".complete"));
        Files.write(dir.resolve(TensorFlowNatives.JNI_LIBRARY), new byte[3]);
        TensorFlowNatives.extract(cache, jar);
        assertThat(Files.size(dir.resolve(TensorFlowNatives.JNI_LIBRARY))).isEqualTo(1000);
    }

    @Test
    void extract_withoutTheJar_namesTheMavenCoordinates(@TempDir Path tmp) {
        ClassLoader empty = new URLClassLoader(new URL[0], null);
        assertThatThrownBy(() -> TensorFlowNatives.extract(tmp, empty))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("org.tensorflow:tensorflow-core-native:1.0.0:linux-x86_64")
                .hasMessageContaining("classifier linux-x86_64");
    }

    @Test
    void checkPlatform_rejectsOtherPlatformsByName() {
        TensorFlowNatives.checkPlatform("Linux", "amd64");
        assertThatThrownBy(() -> TensorFlowNatives.checkPlatform("Mac OS X", "aarch64"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("linux-x86_64 only, but this is Mac OS X aarch64");
    }

    /** Two JVMs extracting into the same cache at once both end with complete, identical files. */
    @Test
    void extract_isSafeWhenTwoJvmsStartAtOnce(@TempDir Path tmp) throws Exception {
        Path jarRoot = tmp.resolve("jar");
        fakeNativesJar(jarRoot, 8 << 20);
        Path cache = tmp.resolve("cache");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ExtractMain.class.getName(), jarRoot.toString(), cache.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("out" + i + ".txt").toFile()).start());
        }
        for (int i = 0; i < processes.size(); i++) {
            assertThat(processes.get(i).waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(processes.get(i).exitValue()).as(Files.readString(tmp.resolve("out" + i + ".txt"))).isZero();
        }
        Path dir = cache.resolve(TensorFlowNatives.FOLDER);
        for (String lib : TensorFlowNatives.LIBRARIES) {
            assertThat(dir.resolve(lib)).hasSameBinaryContentAs(jarRoot.resolve(TensorFlowNatives.RESOURCE_DIR + lib));
        }
    }

    /** Entry point of the child JVMs. */
    static final class ExtractMain {
        public static void main(String[] args) throws Exception {
            ClassLoader jar = new URLClassLoader(new URL[] {Path.of(args[0]).toUri().toURL()}, null);
            TensorFlowNatives.extract(Path.of(args[1]), jar);
        }
    }
}
