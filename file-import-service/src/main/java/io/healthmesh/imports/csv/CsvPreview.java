package io.healthmesh.imports.csv;

import java.util.List;

/**
 * What a client sees of an uploaded CSV before it posts a mapping. Every text taken from the file
 * (header, rows) has been through {@link CsvCells#safe}.
 *
 * @param dialect how the file is written
 * @param header the column names, trimmed
 * @param rows the first (up to) {@value CsvInspector#PREVIEW_ROWS} data rows, blank rows left out
 * @param detectedPreset a preset id such as {@code myfitnesspal-nutrition}, or {@code generic}
 * @param suggestedMapping the mapping we propose; posting it unchanged imports everything it covers
 * @param zone the zone the suggested mapping assumes: the user's home zone, else {@code UTC}
 * @param notes hints for the user, e.g. a column whose unit we could not know
 */
public record CsvPreview(CsvDialect dialect, List<String> header, List<List<String>> rows, String detectedPreset,
        CsvMapping suggestedMapping, String zone, List<String> notes) {
}
