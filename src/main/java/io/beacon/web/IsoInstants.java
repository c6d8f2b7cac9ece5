package io.beacon.web;

import java.time.Instant;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes every {@link Instant} of Beacon's JSON exactly as {@link Instant#toString()} does (ISO-8601 in UTC,
 * the fraction in groups of three digits, none for whole seconds), without its intermediate strings.
 * {@code Instant.toString()} builds a {@code LocalDateTime} and half a dozen strings per call, about 1.5 KB of
 * garbage; an instance's answer holds six instants, and a service's discovery answer is rebuilt after every
 * heartbeat of its instances (each moves {@code lastHeartbeat}), so under heartbeat load those strings were
 * most of what the collector had to clear. Years outside 0000 to 9999 fall back to {@code toString()}.
 */
@Configuration(proxyBeanMethods = false)
public class IsoInstants {

    /** Longest text of an instant in years 0000 to 9999: {@code 2026-12-03T09:42:10.123456789Z}. */
    static final int MAX_LENGTH = 30;

    private static final long SECONDS_PER_DAY = 86_400;
    /** Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar. */
    private static final long DAYS_0000_TO_1970 = 719_468;
    private static final long DAYS_PER_ERA = 146_097;

    @Bean
    JsonMapperBuilderCustomizer isoInstantJson() {
        return builder -> builder.addModule(new SimpleModule("beacon-iso-instants")
                .addSerializer(Instant.class, new Serializer()));
    }

    /**
     * Writes {@code t} into {@code out} (at least {@link #MAX_LENGTH} long) as {@code t.toString()} would and
     * returns the length, or -1 for a year outside 0000 to 9999.
     */
    static int format(Instant t, char[] out) {
        long seconds = t.getEpochSecond();
        long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        // civil date from a day count (H. Hinnant's algorithm, eras of 400 years starting on March 1st)
        long z = days + DAYS_0000_TO_1970;
        long era = Math.floorDiv(z, DAYS_PER_ERA);
        long dayOfEra = z - era * DAYS_PER_ERA;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return -1;
        }
        int y = (int) year;
        digits(out, 0, y / 100);
        digits(out, 2, y % 100);
        out[4] = '-';
        digits(out, 5, month);
        out[7] = '-';
        digits(out, 8, day);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60);
        int at = 19;
        int nano = t.getNano();
        if (nano != 0) {
            out[at++] = '.';
            int groups = nano % 1_000_000 == 0 ? 1 : nano % 1_000 == 0 ? 2 : 3;
            int value = groups == 1 ? nano / 1_000_000 : groups == 2 ? nano / 1_000 : nano;
            int width = groups * 3;
            for (int i = width - 1; i >= 0; i--) {
                out[at + i] = (char) ('0' + value % 10);
                value /= 10;
            }
            at += width;
        }
        out[at++] = 'Z';
        return at;
    }

    private static void digits(char[] out, int at, int twoDigits) {
        out[at] = (char) ('0' + twoDigits / 10);
        out[at + 1] = (char) ('0' + twoDigits % 10);
    }

    static final class Serializer extends StdSerializer<Instant> {

        /** The generator copies the text before {@code writeString} returns, so one buffer per thread serves. */
        private static final ThreadLocal<char[]> TEXT = ThreadLocal.withInitial(() -> new char[MAX_LENGTH]);

        Serializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializationContext context) {
            char[] text = TEXT.get();
            int length = format(value, text);
            if (length < 0) {
                gen.writeString(value.toString());
            } else {
                gen.writeString(text, 0, length);
            }
        }
    }
}
