package org.buddycloud.push.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where the push server may send a Web Push request: a subscription's endpoint is given by a client, so it must be
 * an https URL whose host resolves only to public addresses — never to this machine, the private network, link-local
 * or multicast addresses (no server-side request forgery through a push subscription). Every address of the host is
 * checked, and the sender connects to one of those checked ({@link #check} returns them), so a DNS answer cannot
 * change in between. Loopback can be allowed, for tests only.
 */
public final class PushEndpoints {

    /** Resolves a host name to all its addresses (the JDK's resolver in production). */
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    /** A refused endpoint, with the reason a client is told. */
    public static class RefusedEndpoint extends RuntimeException {
        RefusedEndpoint(String reason) {
            super(reason);
        }
    }

    /** An endpoint whose host does not resolve (now): refused at registration, but only a reason to retry a delivery. */
    public static final class Unresolved extends RefusedEndpoint {
        Unresolved(String reason) {
            super(reason);
        }
    }

    /** An endpoint that passed, and the addresses it may be reached at. */
    public record Checked(URI uri, List<InetAddress> addresses) {
    }

    static final int MAX_LENGTH = 2048;

    private final Resolver resolver;
    private final boolean allowLoopback;

    public PushEndpoints(Resolver resolver, boolean allowLoopback) {
        this.resolver = resolver;
        this.allowLoopback = allowLoopback;
    }

    public Checked check(String endpoint) {
        if (endpoint == null || endpoint.isBlank() || endpoint.length() > MAX_LENGTH) {
            throw new RefusedEndpoint("a push endpoint is an https URL of at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new RefusedEndpoint("the push endpoint is not a URL: " + e.getReason());
        }
        String host = uri.getHost();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        // plain http only where loopback is allowed (tests), and then only to loopback
        boolean plainHttp = allowLoopback && scheme.equals("http");
        if (!(scheme.equals("https") || plainHttp) || host == null || uri.getUserInfo() != null) {
            throw new RefusedEndpoint("a push endpoint must be an https URL with a host and no user name");
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new Unresolved("the push endpoint's host " + host + " does not resolve");
        }
        if (addresses.isEmpty()) {
            throw new Unresolved("the push endpoint's host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!reachable(address) || plainHttp && !address.isLoopbackAddress()) {
                throw new RefusedEndpoint("the push endpoint's host " + host + " is not on the public internet");
            }
        }
        return new Checked(uri, List.copyOf(addresses));
    }

    private boolean reachable(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return allowLoopback;
        }
        return !(address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isMulticastAddress() || isSpecialPurpose(address));
    }

    /** What the JDK does not name: IPv6 unique-local (fc00::/7), carrier-grade NAT (100.64/10), IPv4 mapped into IPv6. */
    private boolean isSpecialPurpose(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            if ((bytes[0] & 0xfe) == 0xfc) {
                return true;
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= bytes[i] == 0;
            }
            if (mapped && (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff) {
                try {
                    return !reachable(InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)));
                } catch (UnknownHostException impossible) {
                    return true;
                }
            }
            return false;
        }
        return address instanceof Inet4Address && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64
                || address instanceof Inet4Address && (bytes[0] & 0xff) == 0;
    }
}
