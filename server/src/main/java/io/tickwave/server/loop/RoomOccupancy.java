package io.tickwave.server.loop;

/**
 * Who sits where on this node at one moment: the players in all, and per room its id, players and
 * capacity (index {@code i} of the three arrays is one room). Built by the game-loop thread when
 * seats changed, then never written again, so any thread may read it once handed over; the cluster's
 * heartbeat reads the newest one to register this node's rooms.
 */
public final class RoomOccupancy {

    /** Before the loop has published anything. */
    public static final RoomOccupancy EMPTY = new RoomOccupancy(0, new int[0], new int[0], new int[0], new String[0][]);

    private final int players;
    private final int[] roomIds;
    private final int[] roomPlayers;
    private final int[] roomCapacities;
    private final String[][] seatedReservations;

    RoomOccupancy(int players, int[] roomIds, int[] roomPlayers, int[] roomCapacities, String[][] seatedReservations) {
        this.seatedReservations = seatedReservations;
        this.players = players;
        this.roomIds = roomIds;
        this.roomPlayers = roomPlayers;
        this.roomCapacities = roomCapacities;
    }

    public int players() {
        return players;
    }

    public int rooms() {
        return roomIds.length;
    }

    public int roomId(int index) {
        return roomIds[index];
    }

    public int roomPlayers(int index) {
        return roomPlayers[index];
    }

    public int roomCapacity(int index) {
        return roomCapacities[index];
    }

    /**
     * The matchmaker's reservations filled by players now in the room who joined in the last seconds:
     * the heartbeat that reports them seated removes these reservations, so no player counts twice.
     * Do not modify the array.
     */
    public String[] seatedReservations(int index) {
        return seatedReservations[index];
    }
}
