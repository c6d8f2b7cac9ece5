package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which requests the download guard wraps: only those whose last path segment Spring could take for a file. */
class DownloadGuardFilterTest {

    @Test
    void wrapsOnlyLastSegmentsWithAnExtensionPathParametersOrEscapes() {
        assertThat(DownloadGuardFilter.mayLookLikeFile("/heartbeat/orders/10.0.0.5:8080")).isTrue();
        assertThat(DownloadGuardFilter.mayLookLikeFile("/eureka/apps/ORDERS;x=1")).isTrue();
        assertThat(DownloadGuardFilter.mayLookLikeFile("/services/a%2Ebat")).isTrue();
        assertThat(DownloadGuardFilter.mayLookLikeFile("/discover")).isFalse();
        assertThat(DownloadGuardFilter.mayLookLikeFile("/v1.0/discover")).as("a dot in an earlier segment").isFalse();
        assertThat(DownloadGuardFilter.mayLookLikeFile("/register")).isFalse();
        assertThat(DownloadGuardFilter.mayLookLikeFile("/")).isFalse();
        assertThat(DownloadGuardFilter.mayLookLikeFile(null)).isFalse();
    }
}
