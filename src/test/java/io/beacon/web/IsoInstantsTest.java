package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class IsoInstantsTest {

    private static final long YEAR_0000 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_9999_END = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00.100Z",
            "1900-03-01T00:00:00.000001Z", "2026-12-03T09:42:10.123456789Z", "2024-12-31T23:59:59.000000001Z",
            "0000-01-01T00:00:00Z", "0000-02-29T01:02:03.040Z", "9999-12-31T23:59:59.999999999Z",
            "2100-03-01T00:00:00.120Z", "1600-02-29T23:00:00.001200Z"})
    void writesWhatToStringWrites(String text) {
        Instant t = Instant.parse(text);
        assertThat(formatted(t)).isEqualTo(t.toString()).isEqualTo(text);
    }

    @Test
    void agreesWithToStringOnRandomInstantsOfEveryPrecision() {
        Random random = new Random(20261203L);
        for (int i = 0; i < 200_000; i++) {
            long seconds = YEAR_0000 + (long) (random.nextDouble() * (YEAR_9999_END - YEAR_0000));
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(seconds, nano);
            assertThat(formatted(t)).as("%d s %d ns", seconds, nano).isEqualTo(t.toString());
        }
    }

    @Test
    void yearsOutsideFourDigitsAreLeftToToString() {
        char[] out = new char[IsoInstants.MAX_LENGTH];
        assertThat(IsoInstants.format(Instant.parse("-0001-12-31T23:59:59Z"), out)).isEqualTo(-1);
        assertThat(IsoInstants.format(Instant.parse("+10000-01-01T00:00:00Z"), out)).isEqualTo(-1);
        assertThat(IsoInstants.format(Instant.MAX, out)).isEqualTo(-1);
        assertThat(IsoInstants.format(Instant.MIN, out)).isEqualTo(-1);
    }

    @Test
    void theMapperWritesInstantsThroughItIncludingTheFallback() {
        JsonMapper.Builder builder = JsonMapper.builder();
        new IsoInstants().isoInstantJson().customize(builder);
        JsonMapper json = builder.build();
        Instant t = Instant.parse("2026-12-03T09:42:10.120Z");
        assertThat(json.writeValueAsString(Map.of("at", t, "far", Instant.MAX)))
                .contains("\"at\":\"2026-12-03T09:42:10.120Z\"")
                .contains("\"far\":\"+1000000000-12-31T23:59:59.999999999Z\"");
    }

    private static String formatted(Instant t) {
        char[] out = new char[IsoInstants.MAX_LENGTH];
        int length = IsoInstants.format(t, out);
        assertThat(length).isPositive();
        return new String(out, 0, length);
    }
}
