package dev.capsule.runtime.view;

/**
 * The caps a page's view tree enforces on every batch ({@link ViewTree#apply}); breaching one refuses
 * the whole batch. The constants are the defaults ({@link #defaults()}); docs/view.md lists them.
 *
 * @param opsPerBatchMax        ops in one {@link ViewBatch}
 * @param nodesPerPageMax       element and text nodes alive in one page (attached or not), the root included
 * @param textCharsMax          UTF-16 chars of one text node
 * @param attributeValueCharsMax UTF-16 chars of one attribute, dataset or style value, or chrome value
 * @param depthMax              element nesting depth below the root
 * @param classesPerNodeMax     class tokens on one element
 * @param stylesPerNodeMax      style properties on one element
 * @param datasetPerNodeMax     dataset entries on one element
 */
public record ViewLimits(int opsPerBatchMax, int nodesPerPageMax, int textCharsMax, int attributeValueCharsMax, int depthMax,
                         int classesPerNodeMax, int stylesPerNodeMax, int datasetPerNodeMax) {
    public static final int OPS_PER_BATCH_MAX = 100_000;
    public static final int NODES_PER_PAGE_MAX = 50_000;
    public static final int TEXT_CHARS_MAX = 100_000;
    public static final int ATTRIBUTE_VALUE_CHARS_MAX = 16_384;
    public static final int DEPTH_MAX = 256;
    public static final int CLASSES_PER_NODE_MAX = 64;
    public static final int STYLES_PER_NODE_MAX = 128;
    public static final int DATASET_PER_NODE_MAX = 64;

    public ViewLimits {
        for (int v : new int[] {opsPerBatchMax, nodesPerPageMax, textCharsMax, attributeValueCharsMax, depthMax,
                classesPerNodeMax, stylesPerNodeMax, datasetPerNodeMax}) {
            if (v <= 0) {
                throw new IllegalArgumentException("view limits must be positive");
            }
        }
    }

    public static ViewLimits defaults() {
        return new ViewLimits(OPS_PER_BATCH_MAX, NODES_PER_PAGE_MAX, TEXT_CHARS_MAX, ATTRIBUTE_VALUE_CHARS_MAX, DEPTH_MAX,
                CLASSES_PER_NODE_MAX, STYLES_PER_NODE_MAX, DATASET_PER_NODE_MAX);
    }
}
