package io.mpathfs.backends.sim;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Medium in a regular file, grown sparse to the LU's capacity on open (setLength makes a hole, not
 * data), so a demo LU survives restarts without costing disk until written.
 */
final class FileBlockStore implements BlockStore {
    private final RandomAccessFile file;
    private final FileChannel channel;

    FileBlockStore(Path path, long capacity) throws IOException {
        this.file = new RandomAccessFile(path.toFile(), "rw");
        try {
            if (file.length() < capacity) {
                file.setLength(capacity);
            }
        } catch (IOException e) {
            file.close();
            throw new IOException("backing file " + path + " cannot hold " + capacity + " bytes: " + e.getMessage(), e);
        }
        this.channel = file.getChannel();
    }

    @Override
    public void read(long offset, byte[] dst, int dstOff, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(dst, dstOff, len);
        while (b.hasRemaining()) {
            int n = channel.read(b, offset + (b.position() - dstOff));
            if (n < 0) {
                // A backing file shorter than the LU (truncated under us): the rest reads as zeros.
                while (b.hasRemaining()) {
                    b.put((byte) 0);
                }
            }
        }
    }

    @Override
    public void write(long offset, byte[] src, int srcOff, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(src, srcOff, len);
        while (b.hasRemaining()) {
            channel.write(b, offset + (b.position() - srcOff));
        }
    }

    @Override
    public void flush() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            // Nothing left to do with a file we are dropping.
        }
    }
}
