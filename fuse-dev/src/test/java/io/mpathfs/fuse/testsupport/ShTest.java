package io.mpathfs.fuse.testsupport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A command that hangs is reported with what it printed and where its threads wait, and is killed. */
class ShTest {
    @Test
    void aTimedOutCommandIsReportedWithItsOutputAndWhereItWaits() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Sh.run(2, "bash", "-c", "echo started; exec sleep 60"));
        String m = e.getMessage();
        assertTrue(m.contains("timed out after 2 s") && m.contains("started"), m);
        assertTrue(m.contains("threads:") && m.contains(" sleep wchan="), m);
    }
}
