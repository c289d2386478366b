package io.iotpm.storage.csv;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The open append-only files of a store, the {@value #MAX_OPEN_FILES} most recently used ones,
 * each with its committed length, and the one way rows get into them: {@link #write}, which
 * leaves every file as it was when any of its appends fails. Guarded by the store's write lock.
 */
final class AppenderCache {

    private static final int MAX_OPEN_FILES = 64;
    // The store's logger, so hosts keep configuring one category per backend.
    private static final Logger LOG = LoggerFactory.getLogger(CsvStorage.class);

    private final boolean fsync;
    private final Map<Path, Appender> appenders = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Appender> eldest) {
            if (size() > MAX_OPEN_FILES) {
                eldest.getValue().closeQuietly();
                return true;
            }
            return false;
        }
    };

    /** @param fsync whether each write is forced to disk before it returns */
    AppenderCache(boolean fsync) {
        this.fsync = fsync;
    }

    /** An open append-only file with its committed length. */
    private static final class Appender {
        final FileChannel channel;
        long size;

        Appender(FileChannel channel) throws IOException {
            this.channel = channel;
            this.size = channel.size();
        }

        void closeQuietly() {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing a CSV file failed", e);
            }
        }
    }

    /**
     * Appends each text to its file, starting a new file with {@code fileHeader}; on failure
     * truncates every file back and deletes the files it created, so nothing is left.
     */
    void write(Map<Path, StringBuilder> texts, String[] fileHeader) throws IOException {
        Map<Appender, Long> before = new LinkedHashMap<>();
        List<Path> created = new ArrayList<>();
        try {
            for (Map.Entry<Path, StringBuilder> e : texts.entrySet()) {
                Path f = e.getKey();
                Appender a = appenders.get(f);
                if (a == null) {
                    if (!Files.exists(f)) {
                        Files.createDirectories(f.getParent());
                        created.add(f);
                    }
                    a = new Appender(FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE));
                    appenders.put(f, a);
                }
                before.put(a, a.size);
                StringBuilder text = e.getValue();
                if (a.size == 0) {
                    StringBuilder h = new StringBuilder();
                    CsvRowCodec.print(h, (Object[]) fileHeader);
                    text.insert(0, h);
                }
                ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                long pos = a.size;
                while (buf.hasRemaining()) {
                    pos += a.channel.write(buf, pos);
                }
                if (fsync) {
                    a.channel.force(false);
                }
                a.size = pos;
            }
        } catch (IOException | RuntimeException e) {
            for (Map.Entry<Appender, Long> b : before.entrySet()) {
                try {
                    b.getKey().channel.truncate(b.getValue());
                    b.getKey().size = b.getValue();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            for (Path f : created) {
                close(f);
                Files.deleteIfExists(f);
            }
            throw e;
        }
    }

    /** Closes a file's appender, if open, before the file is rewritten or deleted. */
    void close(Path f) {
        Appender a = appenders.remove(f);
        if (a != null) {
            a.closeQuietly();
        }
    }

    /** Closes every open file. */
    void closeAll() {
        appenders.values().forEach(Appender::closeQuietly);
        appenders.clear();
    }
}
