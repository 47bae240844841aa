package io.mpathfs.backends.scenario;

import java.util.List;

/**
 * The array's administrator, for scenarios that change target port groups (ALUA): what no SCSI
 * command of an initiator can do. The embedded target's is {@link SimTargetAdmin}; a runner without
 * one reports such scenarios as SKIP.
 */
public interface TargetAdmin {
    /** Runs {@code group G state S} or {@code port N group G}; a refusal is an exception with the reason. */
    void run(List<String> words) throws Exception;

    /** Before each scenario: every target port in one active/optimized group, as a fresh LU has them. */
    void reset() throws Exception;
}
