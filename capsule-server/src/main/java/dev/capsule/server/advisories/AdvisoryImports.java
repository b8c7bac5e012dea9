package dev.capsule.server.advisories;

import dev.capsule.core.osv.OsvExport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Imports OSV exports into the store behind the module's {@link dev.capsule.core.osv.AdvisorySource} bean, and lists
 * past imports. {@code capsule osv} uses it; so may other modules' tests that need advisories in place.
 *
 * <p>Security guarantees: streaming with bounded memory, zip-bomb safe ({@link OsvExport}); an advisory is replaced
 * only by a copy with a newer {@code modified}; refused entries are counted and named, never half-stored; every run is
 * recorded with its outcome.
 */
public interface AdvisoryImports {
    /** Most imports {@link #recent} lists. */
    int RECENT_MAX = 100;

    /**
     * Imports {@code zip} (an OSV {@code all.zip}).
     *
     * @throws OsvExport.ExportException when the file as a whole is refused (not a zip, past a whole-file limit); the
     *     run is recorded as failed and batches already committed stay (a re-import completes them)
     */
    AdvisoryImport importFile(Path zip) throws IOException, OsvExport.ExportException;

    /** The last {@code limit} (at most {@link #RECENT_MAX}) imports, newest first. */
    List<AdvisoryImport> recent(int limit);
}
