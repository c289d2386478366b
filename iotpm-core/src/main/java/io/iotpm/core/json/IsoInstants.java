package io.iotpm.core.json;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.chrono.IsoChronology;

/**
 * Reads and writes the one timestamp form devices send almost always,
 * {@code yyyy-MM-ddTHH:mm:ss[.fraction][Z]}, with arithmetic instead of {@code java.time}'s formatters
 * ({@code Instant.parse} was a third of the MQTT ingest's time, {@code Instant.toString} a tenth of
 * the load generator's). Anything else (offsets, leap seconds, odd lengths, invalid dates) is
 * left to the caller's {@code java.time} path, which also words the errors, so results and messages
 * are those of {@code java.time} either way.
 */
final class IsoInstants {

    private static final int[] SCALE = {100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private IsoInstants() {
    }

    /**
     * @param s a timestamp; without a zone it is UTC, as {@link ReadingJson#parseTimestamp(String)} reads it
     * @return the instant, or {@code null} when {@code s} is not the simple form (use {@code java.time})
     */
    static Instant parseSimple(String s) {
        int n = s.length();
        int end = n > 0 && s.charAt(n - 1) == 'Z' ? n - 1 : n;
        if (end < 19 || end > 29 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59
                || day > Month.of(month).length(IsoChronology.INSTANCE.isLeapYear(year))) {
            return null;
        }
        int nano = 0;
        if (end > 19) {
            if (s.charAt(19) != '.' || end == 20) {
                return null;
            }
            int f = digits(s, 20, end);
            if (f < 0) {
                return null;
            }
            nano = f * SCALE[end - 21];
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nano);
    }

    /** @return the digits of {@code s[from, to)} as a number, or -1 if one is not a digit */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** @return exactly {@link Instant#toString()} of {@code t} */
    static String format(Instant t) {
        long sec = t.getEpochSecond();
        long day = Math.floorDiv(sec, 86_400);
        int secOfDay = Math.floorMod(sec, 86_400);
        LocalDate date = LocalDate.ofEpochDay(day);
        int year = date.getYear();
        if (year < 1000 || year > 9999) {
            return t.toString();
        }
        char[] c = new char[30];
        put(c, 0, year, 4);
        c[4] = '-';
        put(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, secOfDay / 3_600, 2);
        c[13] = ':';
        put(c, 14, secOfDay / 60 % 60, 2);
        c[16] = ':';
        put(c, 17, secOfDay % 60, 2);
        int n = 19;
        int nano = t.getNano();
        if (nano != 0) {
            // Groups of three digits, as many as needed, like ISO_INSTANT.
            c[n++] = '.';
            if (nano % 1_000_000 == 0) {
                put(c, n, nano / 1_000_000, 3);
                n += 3;
            } else if (nano % 1_000 == 0) {
                put(c, n, nano / 1_000, 6);
                n += 6;
            } else {
                put(c, n, nano, 9);
                n += 9;
            }
        }
        c[n++] = 'Z';
        return new String(c, 0, n);
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
