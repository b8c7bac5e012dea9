package dev.capsule.server.compliance;

import dev.capsule.server.registry.MiniProgramId;
import java.util.Optional;

/**
 * The records of processing activities (GDPR art. 30) of this installation, generated on each call — never written
 * by hand — from the platform's own processing (one list in code), the mini-programs released now with their
 * capsule.json privacy declarations and network hosts, the retention purges the server runs, and the controller's
 * name and contact from the settings ({@code capsule.privacy.controller-name}, {@code capsule.privacy.controller-contact};
 * docs/compliance.md).
 *
 * <p>Security guarantees: fails closed — without both controller settings nothing is generated (problem
 * {@code processing-controller-unset}), so a record never names an invented controller; a record lists at most
 * {@link #PROGRAMS_PER_RECORD_MAX} mini-programs and says where the next page starts when more are released; text from
 * a manifest is carried as data, never as markup (every page that prints it escapes it).
 */
public interface ProcessingRecords {
    /** Most released mini-programs one record lists; more are on further pages ({@link ProcessingRecord.ProgramsPage#next}). */
    int PROGRAMS_PER_RECORD_MAX = 100;

    /**
     * The record as of now, listing the released mini-programs with ids after {@code after} (exclusive; empty: from the
     * first).
     *
     * @throws dev.capsule.server.platform.ProblemException {@code processing-controller-unset} (503) without the
     *     controller's name or contact
     */
    ProcessingRecord generate(Optional<MiniProgramId> after);
}
