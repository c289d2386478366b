package io.iotpm.core.storage;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A parsed storage URI: {@code scheme:path?name=value&name=value}. The path is everything between
 * the scheme's colon and the first {@code ?}, taken literally (so {@code csv:/var/iot},
 * {@code csv:data} and {@code sqlite:C:/iot.db} all work); option values are percent-decoded.
 * Examples: {@code memory:}, {@code memory:?capacityPerDevice=100000},
 * {@code sqlite:/var/iot/iot.db?synchronous=full}.
 *
 * @param uri     the text it was parsed from
 * @param scheme  lower-case scheme, {@code [a-z][a-z0-9+.-]*}
 * @param path    the part after the colon and before {@code ?}, possibly empty
 * @param options option name to value, in URI order (immutable)
 */
public record StorageLocation(String uri, String scheme, String path, Map<String, String> options) {

    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*");

    /** Validates and copies. */
    public StorageLocation {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(path, "path");
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /**
     * Parses a storage URI.
     *
     * @param uri e.g. {@code sqlite:data/iot.db?synchronous=full}
     * @return the location
     * @throws IllegalArgumentException naming the URI when it has no scheme, an empty or repeated
     *                                  option name, or a malformed percent escape
     */
    public static StorageLocation parse(String uri) {
        Objects.requireNonNull(uri, "storage uri");
        int colon = uri.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("storage URI must look like 'scheme:path?option=value', e.g. "
                    + "'sqlite:data/iot.db', but was '" + uri + "'");
        }
        String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!SCHEME.matcher(scheme).matches()) {
            throw new IllegalArgumentException("storage URI scheme must match [a-z][a-z0-9+.-]*, but was '"
                    + uri.substring(0, colon) + "' in '" + uri + "'");
        }
        String rest = uri.substring(colon + 1);
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        Map<String, String> options = new LinkedHashMap<>();
        if (q >= 0 && q + 1 < rest.length()) {
            for (String pair : rest.substring(q + 1).split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq), uri);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), uri);
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("storage URI has an option without a name: '" + uri + "'");
                }
                if (options.put(name, value) != null) {
                    throw new IllegalArgumentException("storage URI sets option '" + name + "' twice: '" + uri + "'");
                }
            }
        }
        return new StorageLocation(uri, scheme, path, options);
    }

    private static String decode(String s, String uri) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("storage URI has a malformed %-escape in '" + s + "': '" + uri + "'", e);
        }
    }

    /**
     * @param name an option name
     * @return its value, or {@code null} when absent
     */
    public String option(String name) {
        return options.get(name);
    }

    /**
     * @param name an option name
     * @param def  the value when absent
     * @return its value or {@code def}
     */
    public String option(String name, String def) {
        return options.getOrDefault(name, def);
    }

    /**
     * @param name an option name
     * @param def  the value when absent
     * @return the option as an int
     * @throws IllegalArgumentException naming the option and the URI when it is not an integer
     */
    public int intOption(String name, int def) {
        String v = options.get(name);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("storage option '" + name + "' must be an integer, but was '" + v
                    + "' in '" + uri + "'", e);
        }
    }

    /**
     * @param name an option name
     * @param def  the value when absent
     * @return the option as a boolean ({@code true}/{@code false}, case-insensitive)
     * @throws IllegalArgumentException naming the option and the URI for any other value
     */
    public boolean booleanOption(String name, boolean def) {
        String v = options.get(name);
        if (v == null) {
            return def;
        }
        if (v.equalsIgnoreCase("true") || v.isEmpty()) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("storage option '" + name + "' must be true or false, but was '" + v
                + "' in '" + uri + "'");
    }

    /**
     * Fails on an option the backend does not know, so a typo ({@code synchronus=full}) is an
     * error instead of a silently ignored setting.
     *
     * @param known the option names the backend accepts
     * @return this location
     * @throws IllegalArgumentException naming the unknown options and the known ones
     */
    public StorageLocation requireKnownOptions(Collection<String> known) {
        Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown storage option(s) " + unknown + " for scheme '" + scheme
                    + "' in '" + uri + "'; known options: " + new TreeSet<>(known));
        }
        return this;
    }

    /**
     * @return the path, failing when it is empty
     * @throws IllegalArgumentException naming the URI when the path is empty
     */
    public String requirePath() {
        if (path.isBlank()) {
            throw new IllegalArgumentException("storage URI for scheme '" + scheme + "' needs a path, e.g. '"
                    + scheme + ":data/iot', but was '" + uri + "'");
        }
        return path;
    }

    @Override
    public String toString() {
        return uri;
    }
}
