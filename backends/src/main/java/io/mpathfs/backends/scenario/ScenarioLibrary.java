package io.mpathfs.backends.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds scenario files: the ones bundled in the jar (listed in {@code scenarios/index.txt}, since a
 * jar cannot be listed like a directory — a test keeps the index and the files in step), or files
 * and directories on disk.
 */
public final class ScenarioLibrary {
    public static final String RESOURCE_DIR = "scenarios/";
    public static final String INDEX = RESOURCE_DIR + "index.txt";
    public static final String SUFFIX = ".scn";

    private ScenarioLibrary() {
    }

    /** Names of the bundled scenarios, in index order. */
    public static List<String> bundledNames() throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : resource(INDEX).split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                names.add(l.endsWith(SUFFIX) ? l.substring(0, l.length() - SUFFIX.length()) : l);
            }
        }
        return names;
    }

    public static Scenario bundled(String name) throws IOException, ScenarioSyntaxException {
        return ScenarioParser.parse(name, resource(RESOURCE_DIR + name + SUFFIX));
    }

    public static List<Scenario> bundled() throws IOException, ScenarioSyntaxException {
        List<Scenario> out = new ArrayList<>();
        for (String n : bundledNames()) {
            out.add(bundled(n));
        }
        return out;
    }

    /** A .scn file, or every .scn file in a directory (sorted by name). */
    public static List<Scenario> load(Path path) throws IOException, ScenarioSyntaxException {
        List<Scenario> out = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                for (Path p : s.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                    out.add(loadFile(p));
                }
            }
        } else {
            out.add(loadFile(path));
        }
        return out;
    }

    private static Scenario loadFile(Path p) throws IOException, ScenarioSyntaxException {
        String file = p.getFileName().toString();
        String name = file.endsWith(SUFFIX) ? file.substring(0, file.length() - SUFFIX.length()) : file;
        return ScenarioParser.parse(name, Files.readString(p, StandardCharsets.UTF_8));
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = ScenarioLibrary.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("resource " + path + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
