package dev.capsule.core.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The shared normalization of package-relative references and the npm folder walk (require, WXML, usingComponents). */
class PackagePathsTest {
    @Test
    void normalizeResolvesDotSegmentsAndRefusesClimbingAboveTheRoot() {
        assertThat(PackagePaths.normalize("pages/a/../b/./c")).contains("pages/b/c");
        assertThat(PackagePaths.normalize("//a///b/")).contains("a/b");
        assertThat(PackagePaths.normalize("a/../..")).isEmpty();
        assertThat(PackagePaths.normalize("../x")).isEmpty();
    }

    @Test
    void npmFoldersAreSearchedNearestFirstUpToTheRoot() {
        assertThat(PackagePaths.npmFolders("pages/index/")).containsExactly(
                "pages/index/miniprogram_npm", "pages/miniprogram_npm", "miniprogram_npm");
        assertThat(PackagePaths.npmFolders("")).containsExactly("miniprogram_npm");
    }
}
