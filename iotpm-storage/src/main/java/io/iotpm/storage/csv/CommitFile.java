package io.iotpm.storage.csv;

import io.iotpm.core.storage.StorageException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The {@code commit} file: the number of the last committed write, as 20 ASCII digits and a
 * newline, overwritten in place. A write is committed once its number is stored here; rows
 * numbered above it are the tail of a write a crash cut short. Guarded by the store's write lock.
 */
final class CommitFile implements AutoCloseable {

    private static final int COMMIT_BYTES = 21;

    private final FileChannel channel;
    private final boolean fsync;
    private long committed;

    private CommitFile(FileChannel channel, boolean fsync, long committed) {
        this.channel = channel;
        this.fsync = fsync;
        this.committed = committed;
    }

    /**
     * Reads the last committed write number without opening the file for writing.
     *
     * @return the number, 0 for a new store
     * @throws StorageException when the file is missing beside data files, or does not hold a number
     */
    static long read(CsvLayout layout) throws IOException {
        Path p = layout.dir().resolve(CsvLayout.COMMIT);
        if (!Files.exists(p)) {
            if (Files.exists(layout.eventsFile()) || layout.hasDeviceFiles()) {
                throw new StorageException(layout.location() + ": the " + CsvLayout.COMMIT
                        + " file is missing but data files exist; refusing to guess which rows were committed");
            }
            return 0;
        }
        String s = Files.readString(p, StandardCharsets.US_ASCII).trim();
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new NumberFormatException("negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new StorageException(layout.location() + ": the " + CsvLayout.COMMIT + " file holds '" + s
                    + "', not a write number; the store may be damaged", e);
        }
    }

    /**
     * Opens (creating if missing) the commit file for writing.
     *
     * @param committed what {@link #read(CsvLayout)} returned
     * @param fsync     whether each commit is forced to disk
     */
    static CommitFile open(CsvLayout layout, long committed, boolean fsync) throws IOException {
        FileChannel ch = FileChannel.open(layout.dir().resolve(CsvLayout.COMMIT), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        CommitFile f = new CommitFile(ch, fsync, committed);
        if (ch.size() == 0) {
            f.write(0);
        }
        return f;
    }

    /** @return the number of the last committed write */
    long committed() {
        return committed;
    }

    /** Stores {@code seq} as the last committed write; on failure {@link #committed()} is unchanged. */
    void commit(long seq) throws IOException {
        write(seq);
        committed = seq;
    }

    private void write(long seq) throws IOException {
        // Locale.ROOT: other locales format %d with non-ASCII digits, which the file cannot hold.
        ByteBuffer buf = ByteBuffer.wrap(String.format(Locale.ROOT, "%020d\n", seq).getBytes(StandardCharsets.US_ASCII));
        int pos = 0;
        while (buf.hasRemaining()) {
            pos += channel.write(buf, pos);
        }
        if (fsync) {
            channel.force(false);
        }
        assert pos == COMMIT_BYTES;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
