package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** A server without {@code capsule.host.preview-directory} has no preview: no source, no watcher, no /dev page. */
@CapsuleServerTest
class DevPreviewAbsentTest {
    @Autowired ApplicationContext context;
    @Autowired TestHttps https;

    @Test
    void withoutAPreviewDirectoryThereIsNoPreviewAndDevIsNotAPage() {
        assertThat(context.getBeanProvider(PreviewSource.class).getIfAvailable()).isNull();
        assertThat(context.getBeanProvider(PreviewWatcher.class).getIfAvailable()).isNull();
        assertThat(context.getBeanProvider(DevPreviewController.class).getIfAvailable()).isNull();
        assertThat(https.get("/dev").statusCode()).isEqualTo(401);
        assertThat(https.get("/dev/build").statusCode()).isEqualTo(401);
    }
}
