package io.mpathfs.backends.pr;

import java.util.Optional;

/** PERSISTENT RESERVE IN service actions (CDB byte 1, bits 4..0). */
public enum PrInAction {
    READ_KEYS(0x00), READ_RESERVATION(0x01), REPORT_CAPABILITIES(0x02), READ_FULL_STATUS(0x03);

    private final int code;

    PrInAction(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<PrInAction> of(int code) {
        for (PrInAction a : values()) {
            if (a.code == code) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
