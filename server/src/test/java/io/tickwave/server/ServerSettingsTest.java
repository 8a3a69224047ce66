package io.tickwave.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerSettingsTest {

    @Test
    void shouldAcceptTheDefaults() {
        ServerSettings settings = ServerSettings.defaults().validate();
        assertEquals(2, settings.ticksPerSnapshot());
        assertEquals(16_666_666L, settings.tickIntervalNs());
    }

    @Test
    void shouldNotChangeTheOriginalWhenDerivingACopy() {
        ServerSettings defaults = ServerSettings.defaults();
        ServerSettings changed = defaults.withPort(9000).withRoomCapacity(8);
        assertEquals(8080, defaults.port());
        assertEquals(64, defaults.roomCapacity());
        assertEquals(9000, changed.port());
        assertEquals(8, changed.roomCapacity());
    }

    @Test
    void shouldNameEveryBadSettingAndWhatToChange() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ServerSettings.defaults()
                .withPort(70_000).withRingSize(1000).withSnapshotRate(7).validate());
        assertTrue(error.getMessage().contains("--port (TICKWAVE_PORT) must be between 0 and 65535, was 70000"), error.getMessage());
        assertTrue(error.getMessage().contains("--ring-size (TICKWAVE_RING_SIZE) must be a power of two"), error.getMessage());
        assertTrue(error.getMessage().contains("--snapshot-rate (TICKWAVE_SNAPSHOT_RATE) must divide --tick-rate (60)"), error.getMessage());
    }

    @Test
    void shouldRequireAClusterSecretWithRedisAndNeverPrintIt() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ServerSettings.defaults().withRedis("redis://127.0.0.1:6379").validate());
        assertTrue(error.getMessage().contains("--cluster-secret (TICKWAVE_CLUSTER_SECRET) is required with --redis"),
                error.getMessage());
        ServerSettings cluster = ServerSettings.defaults().withRedis("redis://:pw@127.0.0.1:6379")
                .withClusterSecret("sixteen-chars-or-more").withNodeId("game-1").validate();
        assertTrue(cluster.clusterEnabled());
        assertTrue(cluster.describe().contains("node-id game-1"), cluster.describe());
        assertTrue(!cluster.describe().contains("sixteen-chars") && !cluster.describe().contains("pw@"), cluster.describe());
        assertTrue(!ServerSettings.defaults().clusterEnabled(), "a single node by default");
        IllegalArgumentException shortToken = assertThrows(IllegalArgumentException.class,
                () -> ServerSettings.defaults().withSeatTokenMs(50).validate());
        assertTrue(shortToken.getMessage().contains("--seat-token-ms (TICKWAVE_SEAT_TOKEN_MS) must be between 100 and 60000"),
                shortToken.getMessage());
    }

    @Test
    void shouldNotBlameTheSnapshotRateForABadTickRate() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ServerSettings.defaults().withTickRate(0).validate());
        assertEquals("--tick-rate (TICKWAVE_TICK_RATE) must be between 1 and 1000 Hz, was 0", error.getMessage());
    }

    @Test
    void shouldSuggestASnapshotRateThatDividesAnOddTickRate() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ServerSettings.defaults().withTickRate(45).withSnapshotRate(20).validate());
        assertTrue(error.getMessage().contains("e.g. 15 or 45; was 20"), error.getMessage());
    }

    @Test
    void shouldNameTheHardeningSettingsWhenOutOfRange() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ServerSettings.defaults()
                .withRequestTimeoutMs(10).withJoinTimeoutMs(0).withMaxConnections(0).withMaxConnectionsPerAddress(0)
                .withAllowedOrigins(java.util.List.of("game.example.com")).validate());
        assertTrue(error.getMessage().contains("--request-timeout-ms (TICKWAVE_REQUEST_TIMEOUT_MS)"), error.getMessage());
        assertTrue(error.getMessage().contains("--join-timeout-ms (TICKWAVE_JOIN_TIMEOUT_MS)"), error.getMessage());
        assertTrue(error.getMessage().contains("--max-connections (TICKWAVE_MAX_CONNECTIONS)"), error.getMessage());
        assertTrue(error.getMessage().contains("--max-connections-per-address (TICKWAVE_MAX_CONNECTIONS_PER_ADDRESS)"),
                error.getMessage());
        assertTrue(error.getMessage().contains("--allowed-origins (TICKWAVE_ALLOWED_ORIGINS): 'game.example.com'"),
                error.getMessage());
    }

    @Test
    void shouldHashEveryThirtiethSnapshotUnlessSetAndRefuseANegativeInterval() {
        assertEquals(30, ServerSettings.defaults().validate().stateHashEvery());
        assertEquals(0, ServerSettings.defaults().withStateHashEvery(0).validate().stateHashEvery());
        assertTrue(ServerSettings.defaults().describe().contains("state-hash-every=30"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ServerSettings.defaults().withStateHashEvery(-1).validate());
        assertTrue(error.getMessage().contains("--state-hash-every (TICKWAVE_STATE_HASH_EVERY) must be 0"), error.getMessage());
    }

    @Test
    void shouldLimitFramesToTwiceTheMessageLimitUnlessSet() {
        assertEquals(240, ServerSettings.defaults().validate().maxFramesPerSecond());
        assertEquals(1_000, ServerSettings.defaults().withMaxMessagesPerSecond(500).validate().maxFramesPerSecond());
        assertEquals(130, ServerSettings.defaults().withMaxFramesPerSecond(130).validate().maxFramesPerSecond());
        assertTrue(ServerSettings.defaults().describe().contains("max-frames-per-second=240"));
    }

    @Test
    void shouldRefuseAFrameLimitBelowTheMessageLimit() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ServerSettings.defaults().withMaxFramesPerSecond(119).validate());
        assertTrue(error.getMessage().startsWith("--max-frames-per-second (TICKWAVE_MAX_FRAMES_PER_SECOND) must be at"
                + " least --max-messages-per-second (120)"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServerSettings.defaults().withMaxFramesPerSecond(-1).validate());
        ServerSettings.defaults().withMaxFramesPerSecond(120).validate();
    }

    @Test
    void shouldLeaveAQuarterOfTheFileLimitToHttpByDefault() {
        long fileLimit = ((com.sun.management.UnixOperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
        assertEquals(Math.min(10_000, fileLimit * 3 / 4), ServerSettings.defaults().maxConnections());
    }
}
