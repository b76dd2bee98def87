package io.healthmesh.imports.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.imports.csv.CsvImportParser;
import io.healthmesh.imports.csv.CsvMapping;
import io.healthmesh.imports.csv.CsvParseSummary;
import io.healthmesh.imports.csv.CsvPreview;
import io.healthmesh.imports.csv.CsvRowHandler;
import io.healthmesh.imports.csv.MalformedCsvException;
import io.healthmesh.imports.domain.ImportJob;
import io.healthmesh.imports.domain.JobProgress;
import io.healthmesh.imports.messaging.RawEventPublisher;
import io.healthmesh.imports.repository.ImportJobRepository;
import jakarta.inject.Singleton;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CSV jobs, once mapped: streams the file through the mapping and publishes every value on
 * raw.csv.v1 under the mapping's source (csv, myfitnesspal or cronometer). Bad rows are skipped
 * and reported with their row number; only what makes the rest unreadable fails the job.
 */
@Singleton
public class CsvImportRunner extends ImportRunner {

    private final ImportJobViews views;

    public CsvImportRunner(ImportJobRepository jobs, UploadStorage storage, RawEventPublisher publisher,
            ObjectMapper json) {
        super(jobs, storage, publisher);
        this.views = new ImportJobViews(json);
    }

    @Override
    public String kind() {
        return ImportService.CSV;
    }

    @Override
    protected String topic(ImportJob job) {
        return Topics.RAW_CSV;
    }

    @Override
    protected String source(ImportJob job) {
        return views.mapping(job).source();
    }

    @Override
    protected JobProgress read(ImportRun run) throws ImportFailedException, IOException {
        ImportJob job = run.job();
        CsvPreview preview = views.preview(job);
        CsvMapping mapping = views.mapping(job);
        try (CountingInputStream in = new CountingInputStream(
                new BufferedInputStream(Files.newInputStream(Path.of(job.storagePath())), 1 << 16))) {
            run.trackBytes(in::count);
            CsvParseSummary summary = new CsvImportParser(job.id().toString()).parse(in, preview.dialect(), mapping,
                    new CsvRowHandler() {
                        @Override
                        public void reading(Reading reading) {
                            run.reading(reading);
                        }

                        @Override
                        public void skipped(String reason, long rowNumber, String detail) {
                            run.skipped(reason);
                            run.note("row " + rowNumber + ": " + detail);
                        }
                    });
            return new JobProgress(in.count(), summary.rowsRead(), 0, summary.skippedByReason(), null);
        } catch (MalformedCsvException e) {
            throw new ImportFailedException(e.getMessage(),
                    e.rowNumber() > 0 ? Math.toIntExact(Math.min(e.rowNumber(), Integer.MAX_VALUE)) : null, null);
        }
    }

    /** Counts the bytes read, for the job's progress. */
    private static final class CountingInputStream extends FilterInputStream {
        private volatile long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
