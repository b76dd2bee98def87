package io.healthmesh.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU seconds spent by the parties of a phase, read from /proc (Linux only; elsewhere it reports
 * nothing): the normalizer JVM, every PostgreSQL process (exited backends included, through the
 * postmaster's reaped-children times), the Kafka broker, this bench JVM, and the whole machine.
 * Tells where a phase's time went: with two cores, 2 x wall seconds is the budget.
 */
final class CpuMeter {

    /** USER_HZ; 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final double TICKS_PER_SECOND = 100.0;

    record Sample(long nanos, double normalizer, double postgres, double kafka, double bench, double machineBusy,
            double machineTotal, double preferences) {
    }

    private final boolean available = Files.isReadable(Path.of("/proc/stat"));
    private final long kafkaPid = findKafkaPid();

    Sample sample(long normalizerPid) {
        return sample(normalizerPid, -1);
    }

    /** Also counts a preferences-service process (the read benchmark's second service), when its pid is given. */
    Sample sample(long normalizerPid, long preferencesPid) {
        long now = System.nanoTime();
        if (!available) {
            return new Sample(now, 0, 0, 0, 0, 0, 0, 0);
        }
        double[] machine = machine();
        return new Sample(now, normalizerPid > 0 ? processSeconds(normalizerPid, true) : 0, postgres(),
                kafkaPid > 0 ? processSeconds(kafkaPid, false) : 0, processSeconds(ProcessHandle.current().pid(), false),
                machine[0], machine[1], preferencesPid > 0 ? processSeconds(preferencesPid, true) : 0);
    }

    /** One line: CPU seconds per party between two samples, and how busy the machine was. */
    static String describe(Sample from, Sample to) {
        return describe(from, to, "normalizer");
    }

    /**
     * The same, calling the measured service (the first pid given to {@link #sample}) {@code service};
     * null leaves it out (no service was measured).
     */
    static String describe(Sample from, Sample to, String service) {
        double wall = (to.nanos() - from.nanos()) / 1e9;
        double normalizer = to.normalizer() - from.normalizer();
        double postgres = to.postgres() - from.postgres();
        double kafka = to.kafka() - from.kafka();
        double bench = to.bench() - from.bench();
        double preferences = to.preferences() - from.preferences();
        double busy = to.machineBusy() - from.machineBusy();
        double total = to.machineTotal() - from.machineTotal();
        double others = Math.max(0, busy - normalizer - postgres - kafka - bench - preferences);
        return String.format(Locale.ROOT,
                "CPU s over %.1f s wall: %s%spostgres %.1f, kafka %.1f, bench %.1f, other %.1f;"
                        + " machine %.0f%% busy of %d cores",
                wall, service == null ? "" : String.format(Locale.ROOT, "%s %.1f, ", service, normalizer), to.preferences() > 0 ? String.format(Locale.ROOT, "preferences %.1f, ", preferences) : "",
                postgres, kafka, bench, others, total > 0 ? 100 * busy / total : 0,
                Runtime.getRuntime().availableProcessors());
    }

    /** A zero sample to add windows to ({@link #plus}); describe(zero(), total) then covers them all. */
    static Sample zero() {
        return new Sample(0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** {@code total} plus the window from {@code from} to {@code to}: the CPU of several separate windows. */
    static Sample plus(Sample total, Sample from, Sample to) {
        return new Sample(total.nanos() + to.nanos() - from.nanos(),
                total.normalizer() + to.normalizer() - from.normalizer(),
                total.postgres() + to.postgres() - from.postgres(), total.kafka() + to.kafka() - from.kafka(),
                total.bench() + to.bench() - from.bench(), total.machineBusy() + to.machineBusy() - from.machineBusy(),
                total.machineTotal() + to.machineTotal() - from.machineTotal(),
                total.preferences() + to.preferences() - from.preferences());
    }

    private static double processSeconds(long pid, boolean withChildren) {
        String[] fields = statFields(Path.of("/proc", String.valueOf(pid), "stat"));
        if (fields == null) {
            return 0;
        }
        // Fields after "pid (comm) ": state is [0]; utime [11], stime [12], cutime [13], cstime [14].
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        if (withChildren) {
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
        return ticks / TICKS_PER_SECOND;
    }

    private static double postgres() {
        long ticks = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String[] fields = statFields(process.resolve("stat"));
                if (fields == null || !"postgres".equals(comm(process))) {
                    continue;
                }
                // Own times, plus reaped children's (the postmaster's cutime/cstime hold exited backends).
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12])
                        + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** busy and total seconds of all cores since boot, from the first line of /proc/stat. */
    private static double[] machine() {
        try {
            String[] parts = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long user = Long.parseLong(parts[1]);
            long nice = Long.parseLong(parts[2]);
            long system = Long.parseLong(parts[3]);
            long idle = Long.parseLong(parts[4]);
            long iowait = Long.parseLong(parts[5]);
            long irq = Long.parseLong(parts[6]);
            long softirq = Long.parseLong(parts[7]);
            long steal = parts.length > 8 ? Long.parseLong(parts[8]) : 0;
            long busy = user + nice + system + irq + softirq + steal;
            return new double[] {busy / TICKS_PER_SECOND, (busy + idle + iowait) / TICKS_PER_SECOND};
        } catch (IOException | RuntimeException e) {
            return new double[] {0, 0};
        }
    }

    private static String[] statFields(Path stat) {
        try {
            String line = Files.readString(stat);
            int close = line.lastIndexOf(')');
            return close < 0 ? null : line.substring(close + 2).trim().split("\\s+");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String comm(Path process) {
        try {
            return Files.readString(process.resolve("comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static long findKafkaPid() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("kafka.Kafka ")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }
}
