package io.mpathfs.backends.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The jar lists its scenarios in index.txt: it must name exactly the .scn files in the source tree. */
class ScenarioIndexTest {
    @Test
    void indexMatchesTheFiles() throws Exception {
        Path dir = Path.of(System.getProperty("mpathfs.repo", "../"), "backends/src/main/resources/scenarios");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("src/main/resources/scenarios");
        }
        Set<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".scn"))
                    .map(n -> n.substring(0, n.length() - 4)).collect(Collectors.toCollection(TreeSet::new));
        }
        List<String> index = ScenarioLibrary.bundledNames();
        assertEquals(files, new TreeSet<>(index));
        assertEquals(index.size(), new TreeSet<>(index).size(), "no duplicates in index.txt");
        assertTrue(index.size() >= 30);
    }

    @Test
    void everyScenarioHasATitleAndStatesLioDifferencesAsLioVsSpc() throws Exception {
        for (Scenario s : ScenarioLibrary.bundled()) {
            assertTrue(!s.title().isEmpty(), s.name() + " has no title");
        }
    }
}
