package dev.capsule.runtime.internal.view;

import java.util.Arrays;
import java.util.List;

/** Which entries of a reordered list can stay where they are: a longest increasing subsequence of old positions. */
final class Lis {
    private Lis() {
    }

    /**
     * For each new position, whether its node keeps its place: the entries whose old positions form a
     * longest increasing subsequence (every other reused entry must move). {@code -1} marks a new entry
     * (never stable). O(n log n).
     */
    static boolean[] stable(List<Integer> oldPositions) {
        int n = oldPositions.size();
        boolean[] stays = new boolean[n];
        int[] tailIndex = new int[n];
        int[] previous = new int[n];
        int length = 0;
        for (int i = 0; i < n; i++) {
            int v = oldPositions.get(i);
            if (v < 0) {
                continue;
            }
            int lo = 0;
            int hi = length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (oldPositions.get(tailIndex[mid]) < v) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            previous[i] = lo > 0 ? tailIndex[lo - 1] : -1;
            tailIndex[lo] = i;
            if (lo == length) {
                length++;
            }
        }
        Arrays.fill(stays, false);
        for (int i = length > 0 ? tailIndex[length - 1] : -1; i >= 0; i = previous[i]) {
            stays[i] = true;
        }
        return stays;
    }
}
