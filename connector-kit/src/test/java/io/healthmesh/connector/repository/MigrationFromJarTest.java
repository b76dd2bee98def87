package io.healthmesh.connector.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.util.ClassPathUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kit's migrations run in the services that depend on it, where they come from the kit's jar.
 * At build time Quarkus' FlywayProcessor finds migrations with
 * {@code ClassPathUtils.consumeAsPaths(contextClassLoader, "db/migration", ...)} and lists the SQL
 * files under each path it gets (a directory, or a folder inside a jar). This test puts the kit's
 * migration into a jar, makes that jar the only thing a class loader sees, and checks that the same
 * call finds it there. (ConnectionsStoreTest checks that Flyway applied V900 in the running app.)
 */
class MigrationFromJarTest {

    private static final String MIGRATION = "db/migration/V900__connections.sql";

    @TempDir
    Path temp;

    @Test
    void quarkusFindsTheKitsMigrationInsideADependencyJar() throws IOException {
        Path jar = temp.resolve("connector-kit.jar");
        try (InputStream sql = getClass().getClassLoader().getResourceAsStream(MIGRATION);
                OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file)) {
            assertThat(sql).as(MIGRATION + " on the class path").isNotNull();
            out.putNextEntry(new JarEntry("db/"));
            out.closeEntry();
            out.putNextEntry(new JarEntry("db/migration/"));
            out.closeEntry();
            out.putNextEntry(new JarEntry(MIGRATION));
            sql.transferTo(out);
            out.closeEntry();
        }

        List<String> found = new ArrayList<>();
        List<String> protocols = new ArrayList<>();
        try (URLClassLoader onlyTheJar = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ClassPathUtils.consumeAsPaths(onlyTheJar, "db/migration", path -> {
                protocols.add(path.getFileSystem().provider().getScheme());
                try (Stream<Path> files = Files.walk(path)) {
                    files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).forEach(found::add);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        assertThat(protocols).containsExactly("jar");
        assertThat(found).containsExactly("V900__connections.sql");
    }
}
