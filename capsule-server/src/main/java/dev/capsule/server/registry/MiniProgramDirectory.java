package dev.capsule.server.registry;

import java.util.List;
import java.util.Optional;

/**
 * Every mini-program id the registry has ever assigned, in id order, a page at a time: for modules that must look
 * for a person's data under each mini-program (the host's per-mini-program pairwise ids cannot be listed
 * otherwise). Ids are never deleted from the registry, so a page after another never misses one that existed.
 */
public interface MiniProgramDirectory {
    /** Most ids in one page. */
    int PAGE_IDS_MAX = 1_000;

    /** Up to {@code limit} ids after {@code after} (or from the first), in id order. */
    List<MiniProgramId> ids(Optional<MiniProgramId> after, int limit);
}
