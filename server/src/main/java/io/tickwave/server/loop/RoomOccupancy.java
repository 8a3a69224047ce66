package io.tickwave.server.loop;

/**
 * Who sits where on this node at one moment: the players in all, and per room its id, players,
 * capacity and whether it is closed to matchmaking (index {@code i} of the arrays is one room). Built by the game-loop thread when
 * seats changed, then never written again, so any thread may read it once handed over; the cluster's
 * heartbeat reads the newest one to register this node's rooms.
 */
public final class RoomOccupancy {

    /** Before the loop has published anything. */
    public static final RoomOccupancy EMPTY = new RoomOccupancy(0, new int[0], new int[0], new int[0], new boolean[0],
            new String[0][]);

    private final int players;
    private final int[] roomIds;
    private final int[] roomPlayers;
    private final int[] roomCapacities;
    private final boolean[] roomsClosed;
    private final String[][] seatedReservations;

    RoomOccupancy(int players, int[] roomIds, int[] roomPlayers, int[] roomCapacities, boolean[] roomsClosed,
                  String[][] seatedReservations) {
        this.roomsClosed = roomsClosed;
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

    /** The room's own capacity ({@code RoomContext.setCapacity}, else {@code --room-capacity}). */
    public int roomCapacity(int index) {
        return roomCapacities[index];
    }

    /**
     * Whether the room takes no players through matchmaking: locked by its game, private (made by a
     * join with {@code create_room}) or ending.
     */
    public boolean roomClosed(int index) {
        return roomsClosed[index];
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
