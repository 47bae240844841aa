package io.mpathfs.backends.pr;

import java.util.Optional;

/** PERSISTENT RESERVE OUT service actions (CDB byte 1, bits 4..0). */
public enum PrOutAction {
    REGISTER(0x00, "REGISTER"),
    RESERVE(0x01, "RESERVE"),
    RELEASE(0x02, "RELEASE"),
    CLEAR(0x03, "CLEAR"),
    PREEMPT(0x04, "PREEMPT"),
    PREEMPT_AND_ABORT(0x05, "PREEMPT AND ABORT"),
    REGISTER_AND_IGNORE_EXISTING_KEY(0x06, "REGISTER AND IGNORE EXISTING KEY"),
    REGISTER_AND_MOVE(0x07, "REGISTER AND MOVE");

    private final int code;
    private final String title;

    PrOutAction(int code, String title) {
        this.code = code;
        this.title = title;
    }

    public int code() {
        return code;
    }

    /** SPC wording, for messages. */
    public String title() {
        return title;
    }

    public static Optional<PrOutAction> of(int code) {
        for (PrOutAction a : values()) {
            if (a.code == code) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
