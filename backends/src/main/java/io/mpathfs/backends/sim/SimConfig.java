package io.mpathfs.backends.sim;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * How to build a simulated logical unit and its target: size, block size, where the data lives,
 * how many target ports, and the names it reports. Immutable; start from {@link #builder()}.
 */
public final class SimConfig {
    /** Naming style of initiator and target ports, which decides the TransportID format. */
    public enum Transport {
        /** iqn.… names; iSCSI TransportIDs (protocol 5). */
        ISCSI,
        /** naa.… SAS addresses, as LIO's tcm_loop uses in the lab; SAS TransportIDs (protocol 6). */
        SAS
    }

    private final long capacityBytes;
    private final int blockSize;
    private final Path backingFile;
    private final int targetPorts;
    private final String unitSerial;
    private final String vendor;
    private final String product;
    private final String revision;
    private final Transport transport;
    private final int companyId;
    private final int tpgs;

    private SimConfig(Builder b) {
        if (b.blockSize != 512 && b.blockSize != 1024 && b.blockSize != 2048 && b.blockSize != 4096) {
            throw new IllegalArgumentException("block size must be 512, 1024, 2048 or 4096: " + b.blockSize);
        }
        if (b.capacityBytes < b.blockSize || b.capacityBytes % b.blockSize != 0) {
            throw new IllegalArgumentException("capacity must be a positive multiple of the block size: "
                    + b.capacityBytes);
        }
        if (b.targetPorts < 1 || b.targetPorts > 64) {
            throw new IllegalArgumentException("target ports must be 1..64: " + b.targetPorts);
        }
        this.capacityBytes = b.capacityBytes;
        this.blockSize = b.blockSize;
        this.backingFile = b.backingFile;
        this.targetPorts = b.targetPorts;
        this.unitSerial = b.unitSerial != null ? b.unitSerial
                : b.backingFile != null ? serialFromPath(b.backingFile) : randomSerial();
        this.vendor = b.vendor;
        this.product = b.product;
        this.revision = b.revision;
        this.transport = b.transport;
        this.companyId = b.companyId;
        this.tpgs = b.tpgs;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** 32 random hex digits, the form LIO's vpd_unit_serial takes in the lab. */
    static String randomSerial() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A file-backed LU keeps its identity across restarts: the serial comes from the file's path. */
    static String serialFromPath(Path p) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(p.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JRE", e);
        }
    }

    public long capacityBytes() {
        return capacityBytes;
    }

    public int blockSize() {
        return blockSize;
    }

    public long blocks() {
        return capacityBytes / blockSize;
    }

    public Optional<Path> backingFile() {
        return Optional.ofNullable(backingFile);
    }

    public int targetPorts() {
        return targetPorts;
    }

    public String unitSerial() {
        return unitSerial;
    }

    public String vendor() {
        return vendor;
    }

    public String product() {
        return product;
    }

    public String revision() {
        return revision;
    }

    public Transport transport() {
        return transport;
    }

    /** IEEE company id in the NAA designator; LIO's 0x001405 by default, like the lab's devices. */
    public int companyId() {
        return companyId;
    }

    /**
     * INQUIRY's TPGS bits: 0 no asymmetric access (no port groups), 1 implicit only (the default:
     * the array moves its groups itself), 2 explicit only, 3 both (SET TARGET PORT GROUPS taken).
     */
    public int tpgs() {
        return tpgs;
    }

    public static final class Builder {
        private long capacityBytes = 1L << 30;
        private int blockSize = 512;
        private Path backingFile;
        private int targetPorts = 2;
        private String unitSerial;
        private String vendor = "MPATHFS";
        private String product = "SIM";
        private String revision = "0001";
        private Transport transport = Transport.ISCSI;
        private int companyId = 0x001405;
        private int tpgs = 1;

        public Builder capacityBytes(long v) {
            capacityBytes = v;
            return this;
        }

        public Builder blockSize(int v) {
            blockSize = v;
            return this;
        }

        /** Keep the data in this (sparse) file, and APTPL state in the file next to it. */
        public Builder backingFile(Path v) {
            backingFile = v;
            return this;
        }

        public Builder targetPorts(int v) {
            targetPorts = v;
            return this;
        }

        /** Hex digits feed the NAA designator; any printable ASCII is allowed. */
        public Builder unitSerial(String v) {
            if (v.isEmpty() || v.length() > 64 || !v.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("unit serial must be 1..64 printable ASCII characters");
            }
            unitSerial = v;
            return this;
        }

        public Builder vendor(String v) {
            vendor = v;
            return this;
        }

        public Builder product(String v) {
            product = v;
            return this;
        }

        public Builder revision(String v) {
            revision = v;
            return this;
        }

        public Builder transport(Transport v) {
            transport = v;
            return this;
        }

        public Builder companyId(int v) {
            companyId = v & 0xffffff;
            return this;
        }

        /** See {@link SimConfig#tpgs()}. */
        public Builder tpgs(int v) {
            if (v < 0 || v > 3) {
                throw new IllegalArgumentException("TPGS must be 0..3: " + v);
            }
            tpgs = v;
            return this;
        }

        public SimConfig build() {
            return new SimConfig(this);
        }
    }
}
