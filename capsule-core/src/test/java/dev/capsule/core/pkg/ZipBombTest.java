package dev.capsule.core.pkg;

import static dev.capsule.core.pkg.TestPackages.crafter;
import static dev.capsule.core.pkg.TestPackages.minimalSources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.capsule.core.testing.ZipCrafter;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.zip.Deflater;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 200 MB zip bomb is rejected fast and without allocating it, whether its sizes are honest (the
 * declared size trips a limit) or lie (inflation stops one byte past the declared size).
 */
class ZipBombTest {
    private static final long BOMB_BYTES = 200L * 1024 * 1024;
    /** Generous: the archive itself is ~200 KB and the reader's own work is a few MB at most. */
    private static final long ALLOCATION_BYTES_MAX = 32L * 1024 * 1024;
    private static final long WALL_MILLIS_MAX = 1000;
    private static byte[] bombBody;

    @BeforeAll
    static void deflateTwoHundredMegabytesOfZeros() {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[1 << 20];
        var out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        for (long fed = 0; fed < BOMB_BYTES; fed += zeros.length) {
            d.setInput(zeros);
            while (!d.needsInput()) {
                out.write(buf, 0, d.deflate(buf));
            }
        }
        d.finish();
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        bombBody = out.toByteArray();
        assertThat(bombBody.length).isLessThan(PackageLimits.ARCHIVE_BYTES_MAX);
    }

    private static Reason rejectQuicklyWithoutAllocating(byte[] archive) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long allocatedBefore = threads.getThreadAllocatedBytes(tid);
        long start = System.nanoTime();
        PackageException e = catchThrowableOfType(PackageException.class, () -> PackageReader.read(archive));
        long millis = (System.nanoTime() - start) / 1_000_000;
        long allocated = threads.getThreadAllocatedBytes(tid) - allocatedBefore;
        assertThat(e).isNotNull();
        assertThat(millis).as("wall time").isLessThan(WALL_MILLIS_MAX);
        assertThat(allocated).as("bytes allocated").isLessThan(ALLOCATION_BYTES_MAX);
        return e.reason();
    }

    @Test
    void honestBombIsRejectedBySizeBeforeInflating() {
        ZipCrafter zip = crafter(minimalSources());
        ZipCrafter.Entry e = zip.add("assets/bomb.bin", new byte[0]);
        e.body = bombBody;
        e.declaredSize = BOMB_BYTES;
        assertThat(rejectQuicklyWithoutAllocating(zip.build())).isEqualTo(Reason.FILE_TOO_LARGE);
    }

    @Test
    void bombWithLyingSizeStopsInflatingAtTheDeclaredSize() {
        ZipCrafter zip = crafter(minimalSources());
        ZipCrafter.Entry e = zip.add("assets/bomb.bin", new byte[1000]);
        e.body = bombBody;
        e.declaredSize = 1000L; // a believable size; ratio 1000/200KB is tiny
        assertThat(rejectQuicklyWithoutAllocating(zip.build())).isEqualTo(Reason.CORRUPT);
    }

    @Test
    void bombSplitAcrossEntriesIsRejectedByRatio() {
        ZipCrafter zip = crafter(minimalSources());
        for (int i = 0; i < 200; i++) {
            ZipCrafter.Entry e = zip.add("assets/part" + i + ".bin", new byte[0]);
            e.body = new byte[1024];
            e.declaredSize = 1_000_000L;
        }
        assertThat(rejectQuicklyWithoutAllocating(zip.build())).isEqualTo(Reason.COMPRESSION_RATIO);
    }
}
