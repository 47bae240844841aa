package io.mpathfs.backends.sim;

import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.ScsiResult;
import java.io.IOException;

/**
 * The SBC side of the LU: LBA range checks, READ/WRITE data movement, SYNCHRONIZE CACHE and READ
 * CAPACITY, over a {@link BlockStore}. Medium trouble answers MEDIUM ERROR (11/00 reading, 0C/00
 * writing), as a disk would.
 */
final class BlockCommands {
    private final SimConfig config;
    private final BlockStore store;

    BlockCommands(SimConfig config, BlockStore store) {
        this.config = config;
        this.store = store;
    }

    /** LBA out of range (21/00) when lba..lba+blocks does not fit, including wrap-around. */
    void checkRange(long lba, long blocks) throws CommandFailed {
        long total = config.blocks();
        if (lba < 0 || Long.compareUnsigned(lba, total) > 0 || blocks > total - lba) {
            throw new CommandFailed(Results.lbaOutOfRange());
        }
    }

    ScsiResult read(long lba, long blocks, byte[] buffer) throws CommandFailed {
        if (buffer == null) {
            return ScsiResult.GOOD;
        }
        int n = (int) Math.min(blocks * config.blockSize(), buffer.length);
        try {
            store.read(lba * config.blockSize(), buffer, 0, n);
        } catch (IOException e) {
            throw new CommandFailed(Results.mediumError(0x11, 0x00)); // UNRECOVERED READ ERROR
        }
        return ScsiResult.good(buffer.length - n);
    }

    ScsiResult write(long lba, byte[] data) throws CommandFailed {
        if (data == null) {
            return ScsiResult.GOOD;
        }
        try {
            store.write(lba * config.blockSize(), data, 0, data.length);
        } catch (IOException e) {
            throw new CommandFailed(Results.mediumError(0x0c, 0x00)); // WRITE ERROR
        }
        return ScsiResult.GOOD;
    }

    ScsiResult synchronizeCache() throws CommandFailed {
        try {
            store.flush();
        } catch (IOException e) {
            throw new CommandFailed(Results.mediumError(0x0c, 0x00));
        }
        return ScsiResult.GOOD;
    }

    ScsiResult readCapacity10(byte[] buffer) {
        byte[] b = new byte[8];
        long last = config.blocks() - 1;
        Cdb.putInt(b, 0, (int) Math.min(last, 0xffffffffL));
        Cdb.putInt(b, 4, config.blockSize());
        return Results.dataIn(b, 8, buffer);
    }

    ScsiResult readCapacity16(long alloc, byte[] buffer) {
        byte[] b = new byte[32];
        Cdb.putLong(b, 0, config.blocks() - 1);
        Cdb.putInt(b, 8, config.blockSize());
        return Results.dataIn(b, (int) Math.min(alloc, 32), buffer);
    }
}
