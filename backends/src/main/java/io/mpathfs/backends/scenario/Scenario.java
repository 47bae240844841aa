package io.mpathfs.backends.scenario;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A parsed scenario file: what to send to which I_T nexus and what must come back. See
 * {@link ScenarioParser} for the format.
 *
 * @param name     the file name without ".scn"
 * @param title    the {@code title:} line
 * @param tags     the {@code tags:} line (e.g. "preempt-abort", "all-tg-pt", "sim-only")
 * @param observer the nexus state checks read through unless they say {@code via}
 */
public record Scenario(String name, String title, Set<String> tags, String observer, List<Step> steps) {
    public static final String DEFAULT_OBSERVER = "A1";

    public Scenario {
        tags = Set.copyOf(tags);
        steps = List.copyOf(steps);
    }

    /** Every nexus the scenario needs, observer included, in order of appearance. */
    public List<String> nexuses() {
        Set<String> s = new LinkedHashSet<>();
        s.add(observer);
        for (Step st : steps) {
            s.addAll(st.nexuses());
        }
        return new ArrayList<>(s);
    }
}
