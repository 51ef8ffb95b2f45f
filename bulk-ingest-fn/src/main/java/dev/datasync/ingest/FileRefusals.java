package dev.datasync.ingest;

import dev.datasync.shared.contract.ApiError;
import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.oci.IngestBucket;
import dev.datasync.shared.oci.SourceRules;

import java.util.Optional;

/**
 * Why a file is refused whole, nothing of it written: what can be told before a line is read (its source, its size),
 * and what its lines show (no line, or a first line that is no JSON object).
 */
final class FileRefusals {

    private FileRefusals() {
    }

    /** A refusal decided from the file's prefix and size alone, if any. */
    static Optional<ApiError> beforeReading(SourceRules source, IngestBucket.Version version, int maxObjectBytes) {
        if (!source.registered()) {
            return Optional.of(new ApiError(ErrorCodes.UNKNOWN_SOURCE, "no source " + source.sourceId()
                    + " is registered: upload under incoming/<your source id>/", null));
        }
        if (version.size() > maxObjectBytes) {
            return Optional.of(new ApiError(ErrorCodes.TOO_LARGE, "the file is " + version.size() + " bytes, more"
                    + " than ingest_max_object_bytes (" + maxObjectBytes + "); split it", null));
        }
        return version.size() == 0 ? Optional.of(empty()) : Optional.empty();
    }

    static ApiError empty() {
        return new ApiError(ErrorCodes.EMPTY_FILE, "the file holds no line", null);
    }

    /** The file's first non-blank line is no JSON object (a JSON array, a pretty-printed object, binary). */
    static ApiError notJsonLines(long line, ApiError why) {
        return new ApiError(ErrorCodes.NOT_JSON_LINES, "line " + line + " is not a JSON object (" + why.message()
                + "): the file must hold one sync request per line", null);
    }
}
