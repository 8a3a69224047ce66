package io.tickwave.testkit;

import com.google.protobuf.Descriptors;
import io.tickwave.replication.ReplicaClient;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The replicated state one viewer holds after its newest snapshot, as its client rebuilt it from the
 * deltas it was sent (with the replication module's {@link ReplicaClient}, every state hash checked):
 * the entities it may see, each with its fields as the client sees them. Immutable: a copy taken when
 * asked for, so later ticks do not change it.
 *
 * <p>Types are named by their full proto name ({@code arena.v1.Ship}), without the package
 * ({@code Ship}), or by their generated class's descriptor ({@code Ship.getDescriptor()}).
 */
public final class ViewerState {

    private final long tick;
    private final int stateHash;
    private final List<Entity> entities;

    private ViewerState(long tick, int stateHash, List<Entity> entities) {
        this.tick = tick;
        this.stateHash = stateHash;
        this.entities = Collections.unmodifiableList(entities);
    }

    static ViewerState copyOf(ReplicaClient replica) {
        int count = replica.entityCount();
        List<Entity> entities = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            var type = replica.typeAt(i);
            int[] q = new int[type.fieldCount()];
            for (int f = 0; f < q.length; f++) {
                q[f] = replica.qAt(i, f);
            }
            entities.add(new Entity(replica.idAt(i), type, q));
        }
        return new ViewerState(replica.tick(), replica.stateHash(), entities);
    }

    /** The tick of the snapshot this state belongs to; 0 before the viewer's first snapshot. */
    public long tick() {
        return tick;
    }

    /** The state's hash as docs/replication.md defines it (what {@code Snapshot.state_hash} carries). */
    public int stateHash() {
        return stateHash;
    }

    /** Every entity the viewer holds, in ascending id. */
    public List<Entity> entities() {
        return entities;
    }

    /** The entities of one type, in ascending id. */
    public List<Entity> entities(String type) {
        List<Entity> ofType = new ArrayList<>();
        for (Entity entity : entities) {
            if (entity.is(type)) {
                ofType.add(entity);
            }
        }
        return ofType;
    }

    public List<Entity> entities(Descriptors.Descriptor type) {
        return entities(type.getFullName());
    }

    public int count(String type) {
        return entities(type).size();
    }

    public int count(Descriptors.Descriptor type) {
        return count(type.getFullName());
    }

    public int size() {
        return entities.size();
    }

    public boolean isEmpty() {
        return entities.isEmpty();
    }

    public boolean has(int id) {
        for (Entity entity : entities) {
            if (entity.id() == id) {
                return true;
            }
        }
        return false;
    }

    /** The entity with this id; {@link NoSuchElementException} (listing what the viewer holds) if it has none. */
    public Entity entity(int id) {
        for (Entity entity : entities) {
            if (entity.id() == id) {
                return entity;
            }
        }
        throw new NoSuchElementException("the viewer holds no entity " + id + " at tick " + tick + ": " + this);
    }

    /** The one entity of {@code type}; {@link NoSuchElementException} if there is none or more than one. */
    public Entity only(String type) {
        List<Entity> ofType = entities(type);
        if (ofType.size() != 1) {
            throw new NoSuchElementException("expected exactly one " + type + " at tick " + tick + ", found "
                    + ofType.size() + ": " + this);
        }
        return ofType.get(0);
    }

    public Entity only(Descriptors.Descriptor type) {
        return only(type.getFullName());
    }

    /**
     * The one entity of {@code type} whose {@code field} has {@code value} (as {@link Entity#get} reads it),
     * e.g. {@code find("Runner", "player_id", alice.id())}; {@link NoSuchElementException} if none or several.
     */
    public Entity find(String type, String field, double value) {
        List<Entity> matches = new ArrayList<>();
        for (Entity entity : entities(type)) {
            if (entity.get(field) == value) {
                matches.add(entity);
            }
        }
        if (matches.size() != 1) {
            throw new NoSuchElementException("expected exactly one " + type + " with " + field + " = " + value
                    + " at tick " + tick + ", found " + matches.size() + ": " + this);
        }
        return matches.get(0);
    }

    public Entity find(Descriptors.Descriptor type, String field, double value) {
        return find(type.getFullName(), field, value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ViewerState that && tick == that.tick && entities.equals(that.entities);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(tick) * 31 + entities.hashCode();
    }

    /** {@code tick 12: [Runner#1{...}, Runner#2{...}]}. */
    @Override
    public String toString() {
        return "tick " + tick + ": " + entities;
    }
}
