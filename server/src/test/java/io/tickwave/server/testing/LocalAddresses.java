package io.tickwave.server.testing;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;

/** Addresses of the test machine itself, for tests that need a client that is not loopback. */
public final class LocalAddresses {

    private LocalAddresses() {
    }

    /** An IPv4 address of an up, non-loopback interface of this machine, if it has one. */
    public static Optional<InetAddress> nonLoopbackIpv4() throws SocketException {
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (network.isUp() && !network.isLoopback()) {
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
