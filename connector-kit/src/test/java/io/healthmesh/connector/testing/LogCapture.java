package io.healthmesh.connector.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;

/**
 * Everything the service logs while a test runs (every logger, every level that is enabled, with
 * the full text of attached exceptions), to check that no secret reaches the log.
 */
public final class LogCapture extends Handler {

    private static final LogCapture INSTANCE = new LogCapture();
    private static volatile boolean installed;

    private final Queue<String> lines = new ConcurrentLinkedQueue<>();

    private LogCapture() {
        setLevel(Level.ALL);
    }

    /** Installs the capture on the root logger once (after Quarkus configured logging). */
    public static synchronized LogCapture install() {
        if (!installed) {
            LogContext.getLogContext().getLogger("").addHandler(INSTANCE);
            installed = true;
        }
        return INSTANCE;
    }

    @Override
    public void publish(LogRecord record) {
        StringBuilder line = new StringBuilder(record.getLevel() + " [" + record.getLoggerName() + "] ");
        line.append(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        if (record.getParameters() != null) {
            for (Object parameter : record.getParameters()) {
                line.append(" | ").append(parameter);
            }
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        lines.add(line.toString());
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public void assertNoneOf(Collection<String> secrets) {
        List<String> logged = lines();
        for (String secret : secrets) {
            assertThat(logged).as("log lines mentioning a secret").noneMatch(line -> line.contains(secret));
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
