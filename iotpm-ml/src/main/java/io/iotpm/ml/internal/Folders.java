package io.iotpm.ml.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File-system helpers of the model writers (registry, exporters). */
public final class Folders {

    private Folders() {
    }

    /**
     * Deletes a folder and everything below it; nothing happens when it does not exist.
     *
     * @param root the folder
     * @throws IOException          if listing fails
     * @throws UncheckedIOException if deleting a file fails
     */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
