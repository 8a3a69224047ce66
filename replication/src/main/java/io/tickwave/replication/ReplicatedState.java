package io.tickwave.replication;

import com.google.protobuf.Descriptors;

/**
 * The replicated world of one room, as the game sees it: entities of declared types whose fields the
 * game sets; the server decides what each viewer is sent (see {@code docs/replication.md}).
 *
 * <p><b>Thread:</b> the game-loop thread only. Nothing here is synchronized. Every setter is O(1)
 * and allocation-free; {@link #create} and {@link #destroy} are O(1) amortized (arrays grow only
 * when the room holds more entities than ever before). Changes become visible to viewers at the next
 * {@link Replicator#beginSnapshot}.
 *
 * <p>Misuse (an unknown or destroyed entity, a field of another type, a setter of the wrong kind)
 * throws {@link IllegalArgumentException} with a message that names the entity and the field.
 */
public interface ReplicatedState {

    /** The schema every entity type of this room comes from. */
    Schema schema();

    /**
     * The entity type declared by {@code message} (a message with the {@code (tickwave.v1.entity)}
     * option). O(1) after the first lookup; look it up once, in {@code Game.start}.
     *
     * @throws IllegalArgumentException if the message is not an entity type of this schema
     */
    EntityType type(Descriptors.Descriptor message);

    /**
     * Creates an entity of {@code type} with every field at {@code q = 0} (the {@code min} of a
     * quantized field, zero, false) and returns its id. Ids start at 1, increase, and are never
     * reused in a room.
     */
    int create(EntityType type);

    /** Destroys {@code entity}: viewers holding it are sent its removal at the next snapshot. */
    void destroy(int entity);

    /** Whether {@code entity} was created and not destroyed. */
    boolean exists(int entity);

    /**
     * Sets a {@code QUANTIZED}, {@code ANGLE} or {@code FLOAT} field; the value is quantized as
     * declared (clamped to {@code [min, max]}, angles wrapped).
     */
    void setFloat(int entity, Field field, double value);

    /**
     * Sets a {@code BOUNDED} (clamped to {@code [0, 2^bits - 1]}), {@code UINT} (read as unsigned 32
     * bits) or {@code SINT} field.
     */
    void setInt(int entity, Field field, int value);

    /** Sets a {@code BOOL} field. */
    void setBool(int entity, Field field, boolean value);

    /**
     * Turns interest management on: the world's positioned entities are put in a grid of square
     * cells of {@code cellSize}, and a viewer is sent those within {@code viewRadius} of its
     * viewpoint (plus entities without a position and those of {@code always_relevant} types). A
     * viewer without a viewpoint then sees only those. Default: off, every viewer sees everything.
     * A cell size near the radius keeps each viewer's query to a few cells.
     */
    void setInterest(double cellSize, double viewRadius);

    /**
     * The viewer {@code playerId} sees around {@code entity}'s position (and that entity weighs
     * double when the budget is short). If the entity is destroyed, the viewpoint stays where it
     * last was until changed.
     */
    void setViewpoint(int playerId, int entity);

    /** The viewer {@code playerId} sees around the point {@code (x, y)}. */
    void setViewpoint(int playerId, double x, double y);

    /** The viewer {@code playerId} has no viewpoint (with interest on: only unpositioned entities). */
    void clearViewpoint(int playerId);

    /** {@code entity} is sent to {@code playerId} only; 0 makes it visible to everyone again. */
    void setOnlyVisibleTo(int entity, int playerId);

    /**
     * The most bytes of state a viewer is sent per snapshot (default 1,200). Removals are always sent;
     * creations and updates go highest priority first while they fit. An entity larger than the whole
     * budget is sent alone when it comes first, so that it cannot starve.
     */
    void setByteBudget(int bytesPerSnapshot);
}
