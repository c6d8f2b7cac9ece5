package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the request guard lets through: percent-encoded UTF-8 queries and concrete Content-Types. */
class RequestGuardFilterTest {

    @Test
    void decodesStrictUtf8() {
        assertThat(RequestGuardFilter.decode("a%20b+c")).isEqualTo("a b c");
        assertThat(RequestGuardFilter.decode("%C3%A9")).isEqualTo("\u00e9");
        assertThat(RequestGuardFilter.decode("%00")).isEqualTo("\u0000");
        assertThat(RequestGuardFilter.decode("fz%ff%fe")).isNull();
        assertThat(RequestGuardFilter.decode("%zz")).isNull();
        assertThat(RequestGuardFilter.decode("abc%")).isNull();
        assertThat(RequestGuardFilter.decode("abc%4")).isNull();
        assertThat(RequestGuardFilter.decode("%C3")).as("truncated sequence").isNull();
    }

    @Test
    void namesTheFirstUndecodableParameter() {
        assertThat(RequestGuardFilter.invalidParameter("name=orders&tag=a%20b")).isNull();
        assertThat(RequestGuardFilter.invalidParameter(null)).isNull();
        assertThat(RequestGuardFilter.invalidParameter("name=orders&value=%ff"))
                .isEqualTo(new Violation("value", "is not percent-encoded UTF-8: '%ff'"));
        assertThat(RequestGuardFilter.invalidParameter("na%zzme=x").field()).isEqualTo("na%zzme");
    }

    @Test
    void acceptsConcreteContentTypesOnly() {
        assertThat(RequestGuardFilter.contentTypeProblem("application/json")).isNull();
        assertThat(RequestGuardFilter.contentTypeProblem("application/json; charset=UTF-8")).isNull();
        assertThat(RequestGuardFilter.contentTypeProblem("text/plain")).as("left to the endpoint's 415").isNull();
        assertThat(RequestGuardFilter.contentTypeProblem("*/*"))
                .isEqualTo("Content-Type '*/*' is not a concrete media type; send the body as application/json.");
        assertThat(RequestGuardFilter.contentTypeProblem("application/*")).contains("not a concrete media type");
        assertThat(RequestGuardFilter.contentTypeProblem(";;;")).contains("cannot be parsed");
        assertThat(RequestGuardFilter.contentTypeProblem("application/json; charset=bogus"))
                .contains("names an unknown charset");
    }
}
