package io.mpathfs.backends;

import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.NativeFile;

/**
 * A path whose data goes through an O_DIRECT descriptor opened by name ({@link DataDescriptor}):
 * a file or loop device, or a SCSI disk's block node. Its name, geometry and data IO are this
 * class's; how it probes, identifies its LU and carries commands is the subclass's.
 */
public abstract class DescriptorPath implements DevicePath {
    private final String name;
    private final long size;
    private final int blockSize;
    protected final DataDescriptor data;

    protected DescriptorPath(String name, NativeFile file, long size, int blockSize) {
        this.name = name;
        this.size = size;
        this.blockSize = blockSize;
        this.data = DataDescriptor.of(name, file, size);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final long sizeBytes() {
        return size;
    }

    @Override
    public final int blockSize() {
        return blockSize;
    }

    @Override
    public final void read(long offset, AlignedBuffer buf, int length) throws PathException {
        data.read(offset, buf, length);
    }

    @Override
    public final void write(long offset, AlignedBuffer buf, int length) throws PathException {
        data.write(offset, buf, length);
    }

    @Override
    public final void flush() throws PathException {
        data.flush();
    }
}
