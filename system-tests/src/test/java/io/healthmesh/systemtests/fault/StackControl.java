package io.healthmesh.systemtests.fault;

import io.healthmesh.testsupport.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts one part of the local stack through {@code deploy/local/stack.sh}
 * ({@code kafka-stop|kafka-start|pg-stop|pg-start}), which acts on the stack its checkout's
 * {@code up} recorded. Before anything is stopped it checks that this stack is the one the
 * services of the run use: a test must never take away a database or broker it does not test.
 */
final class StackControl {

    /** kafka-start waits for the broker and its topics; both parts wait up to the script's own 60 s per step. */
    private static final long COMMAND_TIMEOUT_SECONDS = 180;

    private final Path script;
    private final Path logDirectory;

    StackControl(Path root, Path logDirectory) {
        if ("testcontainers".equalsIgnoreCase(System.getenv("HEALTHMESH_TEST_STACK"))) {
            // Containers are not stopped and started by stack.sh; the fault suite is for the local stack.
            throw new IllegalStateException("The fault suite stops and starts the local stack (deploy/local/stack.sh);"
                    + " it does not run with HEALTHMESH_TEST_STACK=testcontainers");
        }
        this.script = root.resolve("deploy/local/stack.sh");
        this.logDirectory = logDirectory;
    }

    /** Fails unless stack.sh's running stack answers where the services of this run connect. */
    void checkItIsTheTestedStack() {
        String env = run("env");
        String pg = "export PGPORT=" + LocalStack.pgPort();
        String kafka = "export KAFKA_BOOTSTRAP_SERVERS=" + LocalStack.kafkaBootstrapServers();
        String host = "export PGHOST=" + LocalStack.pgHost();
        List<String> lines = env.lines().toList();
        if (!lines.contains(pg) || !lines.contains(kafka) || !lines.contains(host)) {
            throw new IllegalStateException("stack.sh's running stack is not the one the tests use (stack.sh env:\n"
                    + env + "\ntests: PGHOST=" + LocalStack.pgHost() + " PGPORT=" + LocalStack.pgPort()
                    + " KAFKA_BOOTSTRAP_SERVERS=" + LocalStack.kafkaBootstrapServers()
                    + "); refusing to stop anything");
        }
    }

    void stopKafka() {
        run("kafka-stop");
    }

    void startKafka() {
        run("kafka-start");
    }

    void stopPostgres() {
        run("pg-stop");
    }

    void startPostgres() {
        run("pg-start");
    }

    /** Runs one stack.sh command; its output goes to a log next to the services' logs. */
    private String run(String command) {
        Path log = logDirectory.resolve("stack-" + command + ".log");
        try {
            Files.createDirectories(logDirectory);
            Process process = new ProcessBuilder("bash", script.toString(), command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .start();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("stack.sh " + command + " did not end within "
                        + COMMAND_TIMEOUT_SECONDS + " s; log " + log + ":\n" + Files.readString(log));
            }
            String output = Files.readString(log);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("stack.sh " + command + " exited with " + process.exitValue()
                        + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run stack.sh " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
