package io.iotpm.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One typed configuration setting: its environment variable name(s), the matching system property,
 * a parser that validates, and a default. The constants live in {@link IotpmConfig}.
 *
 * @param <T>         value type
 * @param name        the primary environment variable, e.g. {@code API_PORT}
 * @param aliases     further environment variables consulted after the primary one, e.g. {@code PORT}
 * @param property    the system property, e.g. {@code iotpm.api.port}
 * @param parser      turns text into a value; throws {@link IllegalArgumentException} with a reason
 * @param defaultValue value when nothing is set (may be {@code null}: "not set")
 * @param secret      whether the value is masked in {@link IotpmConfig#toString()}
 * @param description one line for documentation
 */
public record Setting<T>(String name, List<String> aliases, String property, Function<String, T> parser,
                         T defaultValue, boolean secret, String description) {

    /** Validates the names. */
    public Setting {
        Objects.requireNonNull(name, "name");
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(description, "description");
    }

    /** @return the system property name derived from an environment name: {@code API_PORT → iotpm.api.port} */
    static String propertyFor(String env) {
        return "iotpm." + env.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /**
     * Parses text for this setting.
     *
     * @param text   the raw value
     * @param source where it came from, for the message
     * @return the value
     * @throws IllegalArgumentException naming the setting, the source and the bad value
     */
    T parse(String text, String source) {
        try {
            return parser.apply(text.trim());
        } catch (IllegalArgumentException e) {
            String shown = secret ? "***" : "'" + text + "'";
            throw new IllegalArgumentException(name + " (" + source + ") " + e.getMessage() + ", but was " + shown, e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
