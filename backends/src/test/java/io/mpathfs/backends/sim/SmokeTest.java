package io.mpathfs.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpathfs.backends.pr.PrType;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void registerReserveConflict() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("A2", 0, 0xa));
            Sim.expectGood(s.reserve("A1", 0xa, PrType.EXCLUSIVE_ACCESS));
            Sim.expectGood(s.read("A1", 0, 1));
            Sim.expectConflict(s.read("A2", 0, 1));
            Sim.expectConflict(s.write("B1", 0, 1));
            assertEquals(List.of(0xaL, 0xaL), s.keys());
            assertEquals(2, s.generation());
            System.out.println(s.t.describe());
        }
    }
}
