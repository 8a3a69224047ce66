package io.tickwave.replication;

import java.util.Arrays;

/**
 * A client's copy of replicated state, rebuilt from the server's snapshots (docs/replication.md): it
 * applies snapshot {@code s} with baseline {@code b} to its own state at {@code b} (the empty state for
 * 0) and keeps the result as its state at {@code s}, the newest, which the accessors read. States older
 * than the newest baseline received are dropped, as the server never goes back to them.
 *
 * <p>A snapshot naming an unknown baseline, or whose stream is malformed (ends early, names an entity
 * the baseline lacks or an unknown type, a value out of range, more than 7 bits or a non-zero bit after
 * the updates list), throws {@link MalformedStateException} and changes nothing.
 *
 * <p>One owning thread (the client's). Arrays are reused: applying snapshots of a steady size allocates
 * nothing.
 */
public final class ReplicaClient {

    /**
     * Told, after a snapshot is applied, how the newest state moved from the previous newest, in
     * ascending id. An id whose type changed is removed, then added. The accessors already read the new
     * state.
     */
    public interface Listener {
        void added(int id, EntityType type);

        /** Bit {@code i} of {@code changedMask} is set when field {@code i}'s {@code q} changed. */
        void changed(int id, EntityType type, int changedMask);

        void removed(int id, EntityType type);
    }

    private final Schema schema;
    private final BitReader in = new BitReader();
    private Listener listener;

    /** The kept states, ascending tick; {@code states[stateCount - 1]} is the newest. */
    private State[] states = new State[4];
    private int stateCount;
    private State[] pool = new State[4];
    private int poolCount;
    private final State empty = new State();
    private long newestBaseline;

    // Scratch of the snapshot being decoded.
    private int[] removedIds = new int[16];
    private int removedCount;
    private int[] createdIds = new int[16];
    private EntityType[] createdTypes = new EntityType[16];
    private int[] createdStart = new int[17];
    private int[] createdValues = new int[64];
    private int createdCount;
    private int[] updatedIds = new int[16];
    private int[] updatedMasks = new int[16];
    private int[] updatedStart = new int[17];
    private int[] updatedValues = new int[64];
    private int updatedCount;

    public ReplicaClient(Schema schema) {
        this.schema = schema;
        empty.tick = 0;
    }

    public Schema schema() {
        return schema;
    }

    /** Sets (or with null clears) the listener told of each new newest state. */
    public void setListener(Listener listener) {
        this.listener = listener;
    }

    /**
     * Applies {@code Snapshot.state} ({@code len} bytes of {@code state} from {@code off}) of snapshot
     * {@code tick}, encoded against {@code baselineTick} (0: the empty state).
     */
    public void apply(long tick, long baselineTick, byte[] state, int off, int len) {
        State newest = newest();
        if (tick <= newest.tick) {
            throw new MalformedStateException("snapshot " + tick + " is not after the newest, " + newest.tick);
        }
        State base = baselineTick == 0 ? empty : find(baselineTick);
        if (base == null) {
            throw new MalformedStateException("baseline " + baselineTick + " is not held (held: " + heldTicks() + ")");
        }
        in.reset(state, off, len);
        decode(base);
        State next = obtain();
        merge(base, next);
        next.tick = tick;
        push(next);
        if (baselineTick > newestBaseline) {
            newestBaseline = baselineTick;
        }
        if (listener != null) {
            announce(newest, next);
        }
        prune();
    }

    /** The newest state's tick, 0 before the first snapshot. */
    public long tick() {
        return newest().tick;
    }

    /** The state hash of the newest state (docs/replication.md); of the empty state before any snapshot. */
    public int stateHash() {
        return newest().hash();
    }

    public int entityCount() {
        return newest().count;
    }

    /** The id of the {@code index}-th entity of the newest state in ascending id, for {@code 0..entityCount()-1}. */
    public int idAt(int index) {
        State s = newest();
        checkIndex(s, index);
        return s.ids[index];
    }

    public EntityType typeAt(int index) {
        State s = newest();
        checkIndex(s, index);
        return s.types[index];
    }

    /** The {@code q} of field {@code fieldIndex} of the {@code index}-th entity. */
    public int qAt(int index, int fieldIndex) {
        State s = newest();
        checkIndex(s, index);
        return s.values[s.start[index] + checkField(s.types[index], fieldIndex)];
    }

    /** The index of {@code id} in ascending order, or {@code -(insertion point) - 1} if the newest state lacks it. */
    public int indexOf(int id) {
        State s = newest();
        return Arrays.binarySearch(s.ids, 0, s.count, id);
    }

    public boolean has(int id) {
        return indexOf(id) >= 0;
    }

    /** The type of entity {@code id}; null if the newest state lacks it. */
    public EntityType typeOf(int id) {
        int index = indexOf(id);
        return index >= 0 ? newest().types[index] : null;
    }

    /** The {@code q} of a field of entity {@code id}; IllegalArgumentException if the newest state lacks it. */
    public int q(int id, int fieldIndex) {
        return qAt(requireIndex(id), fieldIndex);
    }

    /** The value the client sees for a field of entity {@code id} ({@link Field#dequantize(int)}). */
    public double value(int id, int fieldIndex) {
        int index = requireIndex(id);
        return newest().types[index].fieldAt(fieldIndex).dequantize(qAt(index, fieldIndex));
    }

    // ---------------------------------------------------------------- decoding

    private void decode(State base) {
        removedCount = 0;
        createdCount = 0;
        updatedCount = 0;
        createdStart[0] = 0;
        updatedStart[0] = 0;

        long count = readCount("removals");
        int previous = 0;
        for (long i = 0; i < count; i++) {
            int id = readId(previous);
            if (base.indexOf(id) < 0) {
                throw new MalformedStateException("removal of entity " + id + ", which the baseline lacks");
            }
            addRemoved(id);
            previous = id;
        }

        count = readCount("creations");
        previous = 0;
        int typeBits = schema.typeBits();
        for (long i = 0; i < count; i++) {
            int id = readId(previous);
            int typeId = in.readBits(typeBits);
            EntityType type = schema.typeById(typeId);
            if (type == null) {
                throw new MalformedStateException("creation of entity " + id + " with unknown type " + typeId);
            }
            int at = beginCreated(id, type);
            for (int f = 0; f < type.fieldCount(); f++) {
                createdValues[at + f] = FieldCodec.readFull(in, type.fieldAt(f));
            }
            previous = id;
        }

        count = readCount("updates");
        previous = 0;
        int removedCursor = 0;
        int createdCursor = 0;
        for (long i = 0; i < count; i++) {
            int id = readId(previous);
            int baseIndex = base.indexOf(id);
            while (removedCursor < removedCount && removedIds[removedCursor] < id) {
                removedCursor++;
            }
            while (createdCursor < createdCount && createdIds[createdCursor] < id) {
                createdCursor++;
            }
            if (baseIndex < 0 || (removedCursor < removedCount && removedIds[removedCursor] == id)
                    || (createdCursor < createdCount && createdIds[createdCursor] == id)) {
                throw new MalformedStateException("update of entity " + id
                        + ", which the baseline lacks or this snapshot removes or creates");
            }
            EntityType type = base.types[baseIndex];
            int fields = type.fieldCount();
            int mask = in.readBits(fields);
            int at = beginUpdated(id, mask, fields);
            int from = base.start[baseIndex];
            for (int f = 0; f < fields; f++) {
                int old = base.values[from + f];
                updatedValues[at + f] = (mask >>> f & 1) != 0 ? FieldCodec.readDelta(in, type.fieldAt(f), old) : old;
            }
            previous = id;
        }

        long left = in.remainingBits();
        if (left > 7) {
            throw new MalformedStateException(left + " bits left after the updates list: more than padding");
        }
        if (left > 0 && in.readBits((int) left) != 0) {
            throw new MalformedStateException("a non-zero padding bit after the updates list");
        }
    }

    private long readCount(String list) {
        long count = in.readGamma();
        if (count > in.remainingBits()) {
            throw new MalformedStateException(count + " " + list + " in " + in.remainingBits() + " bits");
        }
        return count;
    }

    private int readId(int previous) {
        long id = previous + in.readGamma() + 1;
        if (id > Integer.MAX_VALUE) {
            throw new MalformedStateException("entity id " + id + " beyond 2^31-1");
        }
        return (int) id;
    }

    private void addRemoved(int id) {
        if (removedCount == removedIds.length) {
            removedIds = Arrays.copyOf(removedIds, removedCount * 2);
        }
        removedIds[removedCount++] = id;
    }

    /** Appends a creation; returns where its values go in {@code createdValues}. */
    private int beginCreated(int id, EntityType type) {
        if (createdCount == createdIds.length) {
            int n = createdCount * 2;
            createdIds = Arrays.copyOf(createdIds, n);
            createdTypes = Arrays.copyOf(createdTypes, n);
            createdStart = Arrays.copyOf(createdStart, n + 1);
        }
        int at = createdStart[createdCount];
        int end = at + type.fieldCount();
        if (end > createdValues.length) {
            createdValues = Arrays.copyOf(createdValues, Math.max(end, createdValues.length * 2));
        }
        createdIds[createdCount] = id;
        createdTypes[createdCount] = type;
        createdStart[++createdCount] = end;
        return at;
    }

    private int beginUpdated(int id, int mask, int fields) {
        if (updatedCount == updatedIds.length) {
            int n = updatedCount * 2;
            updatedIds = Arrays.copyOf(updatedIds, n);
            updatedMasks = Arrays.copyOf(updatedMasks, n);
            updatedStart = Arrays.copyOf(updatedStart, n + 1);
        }
        int at = updatedStart[updatedCount];
        int end = at + fields;
        if (end > updatedValues.length) {
            updatedValues = Arrays.copyOf(updatedValues, Math.max(end, updatedValues.length * 2));
        }
        updatedIds[updatedCount] = id;
        updatedMasks[updatedCount] = mask;
        updatedStart[++updatedCount] = end;
        return at;
    }

    /** {@code next} := {@code base} without the removals, with the creations and the updates. */
    private void merge(State base, State next) {
        next.clear();
        int r = 0;
        int c = 0;
        int u = 0;
        int b = 0;
        while (b < base.count || c < createdCount) {
            int baseId = b < base.count ? base.ids[b] : Integer.MAX_VALUE;
            int createdId = c < createdCount ? createdIds[c] : Integer.MAX_VALUE;
            if (createdId <= baseId) {
                next.append(createdId, createdTypes[c], createdValues, createdStart[c]);
                c++;
                if (createdId == baseId) {
                    b++; // a creation replaces what the baseline held
                    if (r < removedCount && removedIds[r] == baseId) {
                        r++;
                    }
                }
                continue;
            }
            if (r < removedCount && removedIds[r] == baseId) {
                r++;
            } else if (u < updatedCount && updatedIds[u] == baseId) {
                next.append(baseId, base.types[b], updatedValues, updatedStart[u]);
                u++;
            } else {
                next.append(baseId, base.types[b], base.values, base.start[b]);
            }
            b++;
        }
    }

    private void announce(State before, State after) {
        int i = 0;
        int j = 0;
        while (i < before.count || j < after.count) {
            int oldId = i < before.count ? before.ids[i] : Integer.MAX_VALUE;
            int newId = j < after.count ? after.ids[j] : Integer.MAX_VALUE;
            if (oldId < newId) {
                listener.removed(oldId, before.types[i++]);
            } else if (newId < oldId) {
                listener.added(newId, after.types[j++]);
            } else {
                EntityType type = after.types[j];
                if (before.types[i] != type) {
                    listener.removed(oldId, before.types[i]);
                    listener.added(newId, type);
                } else {
                    int mask = 0;
                    int from = before.start[i];
                    int to = after.start[j];
                    for (int f = 0; f < type.fieldCount(); f++) {
                        if (before.values[from + f] != after.values[to + f]) {
                            mask |= 1 << f;
                        }
                    }
                    if (mask != 0) {
                        listener.changed(newId, type, mask);
                    }
                }
                i++;
                j++;
            }
        }
    }

    // ---------------------------------------------------------------- the kept states

    private State newest() {
        return stateCount == 0 ? empty : states[stateCount - 1];
    }

    private State find(long tick) {
        for (int i = stateCount - 1; i >= 0; i--) {
            if (states[i].tick == tick) {
                return states[i];
            }
        }
        return null;
    }

    private void push(State state) {
        if (stateCount == states.length) {
            states = Arrays.copyOf(states, stateCount * 2);
        }
        states[stateCount++] = state;
    }

    /** Drops every state older than the newest baseline, keeping the newest. */
    private void prune() {
        int keepFrom = 0;
        while (keepFrom < stateCount - 1 && states[keepFrom].tick < newestBaseline) {
            recycle(states[keepFrom]);
            keepFrom++;
        }
        if (keepFrom > 0) {
            System.arraycopy(states, keepFrom, states, 0, stateCount - keepFrom);
            Arrays.fill(states, stateCount - keepFrom, stateCount, null);
            stateCount -= keepFrom;
        }
    }

    private State obtain() {
        return poolCount > 0 ? pool[--poolCount] : new State();
    }

    private void recycle(State state) {
        if (poolCount == pool.length) {
            pool = Arrays.copyOf(pool, poolCount * 2);
        }
        pool[poolCount++] = state;
    }

    private String heldTicks() {
        StringBuilder held = new StringBuilder();
        for (int i = 0; i < stateCount; i++) {
            held.append(i == 0 ? "" : ", ").append(states[i].tick);
        }
        return stateCount == 0 ? "none" : held.toString();
    }

    private int requireIndex(int id) {
        int index = indexOf(id);
        if (index < 0) {
            throw new IllegalArgumentException("entity " + id + " is not in the state at tick " + tick());
        }
        return index;
    }

    private static void checkIndex(State s, int index) {
        if (index < 0 || index >= s.count) {
            throw new IndexOutOfBoundsException("entity index " + index + " of " + s.count);
        }
    }

    private static int checkField(EntityType type, int fieldIndex) {
        if (fieldIndex < 0 || fieldIndex >= type.fieldCount()) {
            throw new IndexOutOfBoundsException(type.name() + " has no field index " + fieldIndex);
        }
        return fieldIndex;
    }

    /** One state: entities in ascending id, each one's field values in a shared array. */
    private static final class State {
        long tick;
        int count;
        int[] ids = new int[16];
        EntityType[] types = new EntityType[16];
        int[] start = new int[17];
        int[] values = new int[64];
        private boolean hashed;
        private int hash;

        void clear() {
            count = 0;
            start[0] = 0;
            hashed = false;
        }

        int indexOf(int id) {
            return Arrays.binarySearch(ids, 0, count, id);
        }

        void append(int id, EntityType type, int[] source, int from) {
            if (count == ids.length) {
                int n = count * 2;
                ids = Arrays.copyOf(ids, n);
                types = Arrays.copyOf(types, n);
                start = Arrays.copyOf(start, n + 1);
            }
            int at = start[count];
            int fields = type.fieldCount();
            if (at + fields > values.length) {
                values = Arrays.copyOf(values, Math.max(at + fields, values.length * 2));
            }
            System.arraycopy(source, from, values, at, fields);
            ids[count] = id;
            types[count] = type;
            start[++count] = at + fields;
        }

        int hash() {
            if (!hashed) {
                int h = StateHash.START;
                for (int i = 0; i < count; i++) {
                    h = StateHash.mix(h, ids[i]);
                    h = StateHash.mix(h, types[i].typeId());
                    for (int v = start[i]; v < start[i + 1]; v++) {
                        h = StateHash.mix(h, values[v]);
                    }
                }
                hash = h;
                hashed = true;
            }
            return hash;
        }
    }
}
