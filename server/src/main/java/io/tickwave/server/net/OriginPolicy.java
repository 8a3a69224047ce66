package io.tickwave.server.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which web pages may open a WebSocket: the check of the {@code Origin} header a browser sends with the
 * upgrade, so that a page on another site cannot use its visitors' browsers as clients.
 *
 * <ul>
 *   <li>No {@code Origin} header: allowed. Browsers always send one; bots and other programs need not.</li>
 *   <li>{@code *} among the allowed origins: every origin is allowed.</li>
 *   <li>A list of origins ({@code https://game.example.com}, …): exactly those (scheme, host and port;
 *       a default port may be written or left out).</li>
 *   <li>No list (the default): the server's own origin, that is an {@code http} or {@code https} origin
 *       whose host and port are the request's {@code Host}, and {@code http(s)://localhost},
 *       {@code 127.0.0.1} and {@code [::1]} on any port, for development.</li>
 * </ul>
 * Anything else is refused: other sites, the opaque origin {@code null} (sandboxed frames, some
 * redirects), {@code file://} pages and every other scheme.
 *
 * <p>Threads: immutable; {@link #allows} is a pure function, safe on any thread.
 */
public final class OriginPolicy {

    /** The entry that allows every origin. */
    public static final String ANY = "*";
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private final boolean any;
    /** Normalized allowed origins, {@code scheme://host:port}; empty for the default policy. */
    private final List<String> allowed;

    private OriginPolicy(boolean any, List<String> allowed) {
        this.any = any;
        this.allowed = allowed;
    }

    /**
     * The policy for {@code --allowed-origins}: empty for the default, {@code *} for any, or origins.
     *
     * @throws IllegalArgumentException for an entry that is not an origin (see {@link #problemWith})
     */
    public static OriginPolicy of(List<String> allowedOrigins) {
        List<String> normalized = new ArrayList<>();
        boolean any = false;
        for (String entry : allowedOrigins) {
            String problem = problemWith(entry);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            if (ANY.equals(entry)) {
                any = true;
            } else {
                normalized.add(normalize(entry));
            }
        }
        return new OriginPolicy(any, List.copyOf(normalized));
    }

    /** What is wrong with one {@code --allowed-origins} entry, or null if it is {@code *} or an origin. */
    public static String problemWith(String entry) {
        if (ANY.equals(entry)) {
            return null;
        }
        return normalize(entry) == null
                ? "'" + entry + "' is not an origin: write scheme://host[:port] with http or https and no path,"
                + " e.g. https://game.example.com, or * for any"
                : null;
    }

    /**
     * Whether an upgrade with this {@code Origin} header may proceed.
     *
     * @param originHeader the request's {@code Origin}, or null when it has none
     * @param hostHeader the request's {@code Host}, or null
     */
    public boolean allows(String originHeader, String hostHeader) {
        if (originHeader == null || any) {
            return true;
        }
        String origin = normalize(originHeader);
        if (origin == null) {
            return false;
        }
        if (!allowed.isEmpty()) {
            return allowed.contains(origin);
        }
        URI parsed = URI.create(origin);
        if (LOCAL_HOSTS.contains(parsed.getHost())) {
            return true;
        }
        return hostHeader != null && origin.equals(normalize(parsed.getScheme() + "://" + hostHeader.strip()));
    }

    /**
     * {@code scheme://host:port} in lower case with the port always written, or null when {@code text}
     * is not an http(s) origin (a path, query, user or fragment, or another scheme, makes it none).
     */
    private static String normalize(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            return null;
        }
        String host = uri.getHost();
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (host == null || host.isEmpty() || !bare) {
            return null;
        }
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
    }
}
