package io.healthmesh.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a kustomization with a real kustomize: {@code kustomize build} when a kustomize binary is
 * on the PATH (or named by KUSTOMIZE), else {@code kubectl kustomize}. The kubectl must embed
 * kustomize 5 or newer (the overlays use {@code labels} and targeted {@code patches}): Debian's own
 * kubernetes-client (kubectl 1.20, kustomize 2.0) is too old; the kubectl of this machine kind's
 * image (1.32, kustomize 5.5) renders them.
 */
final class Kustomize {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern KUSTOMIZE_VERSION = Pattern.compile("Kustomize Version: v?(\\d+)\\.");

    private Kustomize() {
    }

    static List<JsonNode> render(Path kustomization) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(renderer());
        command.add(kustomization.toString());
        String yaml = run(command);
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode object = documents.next();
                if (object != null && !object.isNull() && !object.isEmpty()) {
                    objects.add(object);
                }
            }
        }
        return objects;
    }

    /** The command that renders, checked once: it must exist and embed kustomize 5+. */
    static List<String> renderer() throws IOException, InterruptedException {
        String explicit = System.getenv("KUSTOMIZE");
        if (explicit != null && !explicit.isBlank()) {
            return List.of(explicit, "build");
        }
        Path kustomize = onPath("kustomize");
        if (kustomize != null) {
            return List.of(kustomize.toString(), "build");
        }
        Path kubectl = onPath("kubectl");
        if (kubectl == null) {
            throw new IllegalStateException("Rendering deploy/k8s needs kubectl (with kustomize 5+) or kustomize on the"
                    + " PATH, or KUSTOMIZE=<path of a kustomize binary>; none was found.");
        }
        String version = run(List.of(kubectl.toString(), "version", "--client"));
        Matcher matcher = KUSTOMIZE_VERSION.matcher(version);
        if (!matcher.find() || Integer.parseInt(matcher.group(1)) < 5) {
            throw new IllegalStateException("kubectl at " + kubectl + " embeds a kustomize older than 5 (" + version.trim()
                    + "); install a newer kubectl or a kustomize binary (KUSTOMIZE=...)");
        }
        return List.of(kubectl.toString(), "kustomize");
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: "
                    + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
