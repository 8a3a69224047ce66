package io.tickwave.replication;

import com.google.protobuf.Descriptors;
import java.util.Arrays;
import java.util.List;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * The {@link ReplicatedState} of one room, and its committed history: the entity store behind a
 * {@link Replicator}.
 *
 * <p>Entities live in slots (primitive arrays indexed by slot, a slot's fields at
 * {@code slot * stride}); a destroyed entity's slot is freed at the next commit and may then be
 * reused by a new id. {@link #commit} copies every live entity's quantized values into the history
 * ring ({@value #HISTORY} rows per slot), marks the entities whose values differ from the previous
 * snapshot, and rebuilds the lists the encoder reads: every committed entity in ascending id, the
 * unpositioned or always-relevant ones ({@code global}), and the interest grid. The encoder reads
 * only committed data, so the game may change the world while snapshots are encoded.
 *
 * <p><b>Thread:</b> the game-loop thread only.
 */
final class ReplicatedWorld implements ReplicatedState {
    /** Snapshots of history kept: a baseline or ref older than this is treated as gone. */
    static final int HISTORY = 32;

    static final int DEFAULT_BYTE_BUDGET = 1200;

    private final Schema schema;
    /** Dense index per entity type, by type id. */
    private final int[] typeIndexById = new int[256];
    final EntityType[] types;
    final int[] typeFieldCount;
    final float[] typePriority;
    final boolean[] typeGlobal; // always relevant or without a position
    final int[] typeIdOf;
    final int[] typePosX;
    final int[] typePosY;
    final int typeBits;
    /** Ints per slot in {@link #current}: the largest field count of the schema (at least 1). */
    final int stride;

    // ------------------------------------------------------------------ per slot
    private int slotCapacity;
    int[] slotId;
    int[] slotType;
    int[] slotVisibleTo;
    /** The newest seq at which the slot's committed values differed from the seq before. */
    int[] lastChanged;
    /** The seq at which the entity was first committed; 0 while not yet committed. */
    int[] bornSeq;
    private boolean[] slotDead;
    int[] current;
    /** {@code history[(slot * HISTORY + seq % HISTORY) * stride + field]}. */
    int[] history;
    private double[] posX;
    private double[] posY;
    double[] committedX;
    double[] committedY;
    private int[] freeSlots;
    private int freeCount;
    private int usedSlots;

    private final Int2IntHashMap idToSlot = new Int2IntHashMap(64, 0.65f, -1);
    private int nextId = 1;

    /** Live entities in ascending id (creation appends; commit compacts); the first {@link #committedCount} are committed. */
    int[] liveIds = new int[64];
    int[] liveSlots = new int[64];
    private int liveCount;
    int committedCount;

    /** Committed entities every viewer may consider regardless of distance (all of them with interest off). */
    int[] globalIds = new int[64];
    int[] globalSlots = new int[64];
    /** {@code only_visible_to} of each global entity as committed. */
    int[] globalVisibleTo = new int[64];
    int globalCount;
    /** How many of the global entities are visible to one player only. */
    int globalPrivateCount;
    /** {@link Replicator#hashIds} of the global list. */
    int globalHash;

    final InterestGrid grid = new InterestGrid();
    /** The interest settings the committed lists were built with (setInterest between snapshots applies at the next). */
    boolean committedInterest;
    double committedRadius;

    // ------------------------------------------------------------------ snapshots
    /** The seq of the newest commit (0: none yet). Seqs count commits from 1. */
    int seq;
    private final long[] tickOfRow = new long[HISTORY];
    private final int[] seqOfRow = new int[HISTORY];

    // ------------------------------------------------------------------ settings
    boolean interestOn;
    double cellSize;
    double viewRadius;
    int byteBudget = DEFAULT_BYTE_BUDGET;

    /** Per-player viewer state (viewpoints may be set before the player is added as a viewer). */
    final Int2ObjectHashMap<Viewer> viewers = new Int2ObjectHashMap<>();

    ReplicatedWorld(Schema schema) {
        this.schema = schema;
        List<EntityType> list = schema.types();
        int n = list.size();
        types = list.toArray(new EntityType[0]);
        typeFieldCount = new int[n];
        typePriority = new float[n];
        typeGlobal = new boolean[n];
        typeIdOf = new int[n];
        typePosX = new int[n];
        typePosY = new int[n];
        Arrays.fill(typeIndexById, -1);
        int maxFields = 1;
        int maxTypeId = 1;
        for (int t = 0; t < n; t++) {
            EntityType type = types[t];
            if (type.fieldCount() > 64) {
                throw new IllegalArgumentException(type.name() + " has " + type.fieldCount()
                        + " fields; a replicated type may have at most 64");
            }
            typeIndexById[type.typeId()] = t;
            typeFieldCount[t] = type.fieldCount();
            typePriority[t] = type.priority();
            typeGlobal[t] = type.alwaysRelevant() || !type.hasPosition();
            typeIdOf[t] = type.typeId();
            typePosX[t] = type.positionXIndex();
            typePosY[t] = type.positionYIndex();
            maxFields = Math.max(maxFields, type.fieldCount());
            maxTypeId = Math.max(maxTypeId, type.typeId());
        }
        stride = maxFields;
        typeBits = 32 - Integer.numberOfLeadingZeros(maxTypeId);
        growSlots(16);
    }

    // ------------------------------------------------------------------ ReplicatedState

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public EntityType type(Descriptors.Descriptor message) {
        return schema.type(message);
    }

    @Override
    public int create(EntityType type) {
        int t = typeIndex(type);
        int slot = allocateSlot();
        int id = nextId++;
        slotId[slot] = id;
        slotType[slot] = t;
        slotVisibleTo[slot] = 0;
        slotDead[slot] = false;
        bornSeq[slot] = 0;
        lastChanged[slot] = 0;
        Arrays.fill(current, slot * stride, slot * stride + stride, 0);
        posX[slot] = 0;
        posY[slot] = 0;
        if (type.hasPosition()) {
            posX[slot] = type.fieldAt(type.positionXIndex()).dequantize(0);
            posY[slot] = type.fieldAt(type.positionYIndex()).dequantize(0);
        }
        idToSlot.put(id, slot);
        if (liveCount == liveIds.length) {
            liveIds = Arrays.copyOf(liveIds, liveCount * 2);
            liveSlots = Arrays.copyOf(liveSlots, liveCount * 2);
        }
        liveIds[liveCount] = id;
        liveSlots[liveCount] = slot;
        liveCount++;
        return id;
    }

    @Override
    public void destroy(int entity) {
        int slot = slotOf(entity);
        idToSlot.remove(entity);
        slotDead[slot] = true;
    }

    @Override
    public boolean exists(int entity) {
        return idToSlot.get(entity) >= 0;
    }

    @Override
    public void setFloat(int entity, Field field, double value) {
        int slot = slotOf(entity);
        checkField(slot, entity, field);
        FieldKind kind = field.kind();
        if (kind != FieldKind.QUANTIZED && kind != FieldKind.ANGLE && kind != FieldKind.FLOAT) {
            throw wrongKind(field, "setFloat", kind == FieldKind.BOOL ? "setBool" : "setInt");
        }
        current[slot * stride + field.index()] = field.quantize(value);
        notePosition(slot, field);
    }

    @Override
    public void setInt(int entity, Field field, int value) {
        int slot = slotOf(entity);
        checkField(slot, entity, field);
        FieldKind kind = field.kind();
        if (kind != FieldKind.BOUNDED && kind != FieldKind.UINT && kind != FieldKind.SINT) {
            throw wrongKind(field, "setInt", kind == FieldKind.BOOL ? "setBool" : "setFloat");
        }
        long v = kind == FieldKind.UINT ? (value & 0xFFFF_FFFFL) : value;
        current[slot * stride + field.index()] = field.quantizeInt(v);
        notePosition(slot, field);
    }

    @Override
    public void setBool(int entity, Field field, boolean value) {
        int slot = slotOf(entity);
        checkField(slot, entity, field);
        if (field.kind() != FieldKind.BOOL) {
            throw wrongKind(field, "setBool", field.kind() == FieldKind.BOUNDED || field.kind() == FieldKind.UINT
                    || field.kind() == FieldKind.SINT ? "setInt" : "setFloat");
        }
        current[slot * stride + field.index()] = value ? 1 : 0;
    }

    @Override
    public void setInterest(double cellSize, double viewRadius) {
        if (!(cellSize > 0) || Double.isInfinite(cellSize) || !(viewRadius >= 0) || Double.isNaN(viewRadius)) {
            throw new IllegalArgumentException("setInterest needs a finite cellSize > 0 and a viewRadius >= 0, got "
                    + cellSize + " and " + viewRadius);
        }
        this.interestOn = true;
        this.cellSize = cellSize;
        this.viewRadius = viewRadius;
    }

    @Override
    public void setViewpoint(int playerId, int entity) {
        slotOf(entity); // the entity must exist now
        Viewer viewer = viewerForSettings(playerId);
        viewer.viewpointEntity = entity;
        viewer.hasViewpoint = true;
    }

    @Override
    public void setViewpoint(int playerId, double x, double y) {
        if (Double.isNaN(x) || Double.isNaN(y)) {
            throw new IllegalArgumentException("viewpoint of player " + playerId + " is NaN: (" + x + ", " + y + ")");
        }
        Viewer viewer = viewerForSettings(playerId);
        viewer.viewpointEntity = 0;
        viewer.hasViewpoint = true;
        viewer.viewX = x;
        viewer.viewY = y;
    }

    @Override
    public void clearViewpoint(int playerId) {
        Viewer viewer = viewers.get(playerId);
        if (viewer != null) {
            viewer.hasViewpoint = false;
            viewer.viewpointEntity = 0;
        }
    }

    @Override
    public void setOnlyVisibleTo(int entity, int playerId) {
        slotVisibleTo[slotOf(entity)] = playerId;
    }

    @Override
    public void setByteBudget(int bytesPerSnapshot) {
        if (bytesPerSnapshot < 1) {
            throw new IllegalArgumentException("byte budget must be at least 1, got " + bytesPerSnapshot);
        }
        this.byteBudget = bytesPerSnapshot;
    }

    // ------------------------------------------------------------------ commit

    /**
     * Commits the world as snapshot {@code tick}: O(live entities × fields) to copy the values into
     * the history ring, plus the grid rebuild with interest on.
     */
    void commit(long tick) {
        if (seq > 0 && tick <= tickOfRow[seq % HISTORY]) {
            throw new IllegalArgumentException("snapshot ticks must increase: " + tick + " after "
                    + tickOfRow[seq % HISTORY]);
        }
        int s = ++seq;
        int row = s % HISTORY;
        int previousRow = (s - 1) % HISTORY;
        tickOfRow[row] = tick;
        seqOfRow[row] = s;
        int write = 0;
        int stride = this.stride;
        int[] current = this.current;
        int[] history = this.history;
        for (int i = 0; i < liveCount; i++) {
            int slot = liveSlots[i];
            if (slotDead[slot]) {
                freeSlot(slot);
                continue;
            }
            liveIds[write] = liveIds[i];
            liveSlots[write] = slot;
            write++;
            int n = typeFieldCount[slotType[slot]];
            int from = slot * stride;
            int to = (slot * HISTORY + row) * stride;
            if (bornSeq[slot] == 0) {
                bornSeq[slot] = s;
                lastChanged[slot] = s;
                System.arraycopy(current, from, history, to, n);
            } else {
                int before = (slot * HISTORY + previousRow) * stride;
                boolean changed = false;
                for (int f = 0; f < n; f++) {
                    int q = current[from + f];
                    history[to + f] = q;
                    changed |= q != history[before + f];
                }
                if (changed) {
                    lastChanged[slot] = s;
                }
            }
            committedX[slot] = posX[slot];
            committedY[slot] = posY[slot];
        }
        liveCount = write;
        committedCount = write;
        rebuildLists();
    }

    private void rebuildLists() {
        if (globalIds.length < committedCount) {
            int size = Math.max(committedCount, globalIds.length * 2);
            globalIds = new int[size];
            globalSlots = new int[size];
            globalVisibleTo = new int[size];
        }
        int g = 0;
        int privates = 0;
        int hash = Replicator.HASH_SEED;
        boolean interest = interestOn;
        committedInterest = interest;
        committedRadius = viewRadius;
        if (interest) {
            grid.begin(cellSize, committedCount);
        }
        for (int i = 0; i < committedCount; i++) {
            int slot = liveSlots[i];
            int id = liveIds[i];
            if (!interest || typeGlobal[slotType[slot]]) {
                globalIds[g] = id;
                globalSlots[g] = slot;
                globalVisibleTo[g] = slotVisibleTo[slot];
                g++;
                hash = Replicator.mixHash(hash, id);
                if (slotVisibleTo[slot] != 0) {
                    privates++;
                }
            } else {
                grid.add(id, slot, committedX[slot], committedY[slot], slotVisibleTo[slot]);
            }
        }
        if (interest) {
            grid.finish();
        }
        globalCount = g;
        globalPrivateCount = privates;
        globalHash = hash;
    }

    /** The seq of the committed snapshot {@code tick} still in the history, or 0. */
    int seqOfTick(long tick) {
        for (int back = 1; back < HISTORY && back < seq; back++) {
            int s = seq - back;
            int row = s % HISTORY;
            long t = tickOfRow[row];
            if (t == tick && seqOfRow[row] == s) {
                return s;
            }
            if (t < tick) {
                return 0;
            }
        }
        return 0;
    }

    long tickOfSeq(int s) {
        return tickOfRow[s % HISTORY];
    }

    /** The slot of a live entity, or -1. */
    int slotOrMissing(int entity) {
        return idToSlot.get(entity);
    }

    // ------------------------------------------------------------------ internals

    Viewer viewerForSettings(int playerId) {
        Viewer viewer = viewers.get(playerId);
        if (viewer == null) {
            viewer = new Viewer(playerId);
            viewers.put(playerId, viewer);
        }
        return viewer;
    }

    private int typeIndex(EntityType type) {
        int id = type.typeId();
        int t = id >= 0 && id < 256 ? typeIndexById[id] : -1;
        if (t < 0 || types[t] != type) {
            throw new IllegalArgumentException(type + " is not an entity type of this room's schema");
        }
        return t;
    }

    private int slotOf(int entity) {
        int slot = idToSlot.get(entity);
        if (slot < 0) {
            throw new IllegalArgumentException("no entity " + entity + (entity > 0 && entity < nextId
                    ? " (destroyed)" : " (never created)"));
        }
        return slot;
    }

    private void checkField(int slot, int entity, Field field) {
        EntityType type = types[slotType[slot]];
        int index = field.index();
        if (index >= type.fieldCount() || type.fieldAt(index) != field) {
            throw new IllegalArgumentException("field " + field + " is not a field of " + type + " (entity " + entity
                    + ")");
        }
    }

    private static IllegalArgumentException wrongKind(Field field, String used, String instead) {
        return new IllegalArgumentException(used + " on " + field.kind() + " field " + field + ": use " + instead);
    }

    private void notePosition(int slot, Field field) {
        int t = slotType[slot];
        int index = field.index();
        if (index == typePosX[t]) {
            posX[slot] = field.dequantize(current[slot * stride + index]);
        } else if (index == typePosY[t]) {
            posY[slot] = field.dequantize(current[slot * stride + index]);
        }
    }

    private int allocateSlot() {
        if (freeCount > 0) {
            return freeSlots[--freeCount];
        }
        if (usedSlots == slotCapacity) {
            growSlots(slotCapacity * 2);
        }
        return usedSlots++;
    }

    private void freeSlot(int slot) {
        slotId[slot] = 0;
        freeSlots[freeCount++] = slot;
    }

    private void growSlots(int capacity) {
        slotCapacity = capacity;
        slotId = grow(slotId, capacity);
        slotType = grow(slotType, capacity);
        slotVisibleTo = grow(slotVisibleTo, capacity);
        lastChanged = grow(lastChanged, capacity);
        bornSeq = grow(bornSeq, capacity);
        freeSlots = grow(freeSlots, capacity);
        slotDead = slotDead == null ? new boolean[capacity] : Arrays.copyOf(slotDead, capacity);
        current = grow(current, capacity * stride);
        history = grow(history, capacity * stride * HISTORY);
        posX = grow(posX, capacity);
        posY = grow(posY, capacity);
        committedX = grow(committedX, capacity);
        committedY = grow(committedY, capacity);
    }

    private static int[] grow(int[] array, int size) {
        return array == null ? new int[size] : Arrays.copyOf(array, size);
    }

    private static double[] grow(double[] array, int size) {
        return array == null ? new double[size] : Arrays.copyOf(array, size);
    }
}
