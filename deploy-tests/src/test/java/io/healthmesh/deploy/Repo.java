package io.healthmesh.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The repository the tests check: its root, version, services and deploy/k8s/secrets.txt. */
final class Repo {

    /** The six services, by module name; the normalizer runs as two Deployments of one image. */
    static final List<String> SERVICES = List.of("ingestion-gateway", "preferences-service", "normalizer-service",
            "file-import-service", "withings-connector", "oura-connector");

    private Repo() {
    }

    static Path root() {
        String configured = System.getProperty("healthmesh.repo");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/k8s"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no deploy/k8s above " + start);
    }

    static String version() {
        String configured = System.getProperty("healthmesh.version");
        if (configured != null) {
            return configured;
        }
        String pom = read(root().resolve("pom.xml"));
        int start = pom.indexOf("<version>", pom.indexOf("<artifactId>healthmesh-parent</artifactId>"));
        return pom.substring(start + "<version>".length(), pom.indexOf("</version>", start));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * deploy/k8s/secrets.txt: the Secrets the operator creates, each with its keys (the one place
     * they are listed; README points here). Lines: {@code <secret> <key> [<key> ...]}, # comments.
     */
    static Map<String, Set<String>> secrets() {
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        for (String line : read(root().resolve("deploy/k8s/secrets.txt")).split("\n")) {
            String content = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            String[] words = content.trim().split("\\s+");
            if (words.length < 2 || words[0].isEmpty()) {
                continue;
            }
            secrets.put(words[0], new LinkedHashSet<>(List.of(words).subList(1, words.length)));
        }
        return secrets;
    }
}
