package io.tickwave.replication;

import java.util.Arrays;

/**
 * The server side of replication for one room: owns the {@link ReplicatedState} the game writes, and
 * encodes each viewer's {@code Snapshot.state} as a delta against that viewer's baseline, following
 * {@code docs/replication.md}.
 *
 * <p>Per snapshot: {@link #beginSnapshot} (commit the world: O(entities × fields), plus the grid
 * rebuild with interest on), {@link #encode} once per viewer (O(relevant entities) for the relevant
 * set, the merge with the baseline record and the writing; a viewer whose baseline record and relevant
 * set equal an earlier viewer's of this snapshot gets that encoding for the cost of the comparison),
 * then {@link #endSnapshot}. Only when a viewer's changes do not fit the byte budget are its
 * candidates sorted by priority.
 *
 * <p><b>Thread:</b> the game-loop thread only. Allocation-free in steady state: arrays and pools
 * grow to the room's largest sizes and are then reused.
 */
public final class Replicator {
    static final int HASH_SEED = 0x2545_F491;
    private static final int H = ReplicatedWorld.HISTORY;
    private static final byte UNCHANGED = 0;
    private static final byte CREATE = 1;
    private static final byte UPDATE = 2;

    private final ReplicatedWorld world;
    private final Field[][] typeFields;
    private boolean inSnapshot;

    // encodings of the current snapshot and the table that finds a shareable one
    private Encoding[] encodings = new Encoding[8];
    private int encodingCount;
    private int[] shareTable = new int[16];

    private ViewRecord[] recordPool = new ViewRecord[16];
    private int pooledRecords;

    // the relevant set of the viewer being encoded
    private int[] relIds;
    private int[] relSlots;
    private int relCount;
    private int relHash;
    private boolean relGlobal;
    private int[] scratchIds = new int[64];
    private int[] scratchSlots = new int[64];
    private long[] packed = new long[64];

    // per relevant entity, while encoding
    private byte[] kind = new byte[64];
    private int[] oldRef = new int[64];
    private long[] mask = new long[64];
    private int[] cost = new int[64];
    private boolean[] selected = new boolean[64];
    private int[] removedIds = new int[64];
    private int[] createList = new int[64];
    private int[] updateList = new int[64];
    // only when over budget
    private int[] candidates = new int[64];
    private int[] listPos = new int[64];
    private double[] priority = new double[64];
    private double[] distance = new double[64];
    private int[] skipCount = new int[64];
    private long[] createSelected = new long[1];
    private long[] updateSelected = new long[1];

    // Per slot, for the current snapshot: the update from the previous snapshot and the creation,
    // which most viewers of a moving entity need alike: their mask and size, computed once, and where
    // the first viewer to send them wrote their bits (an encoding of this snapshot), copied by the rest.
    private int[] deltaSeq = new int[16];
    private long[] deltaMask = new long[16];
    private int[] deltaCost = new int[16];
    private int[] deltaSource = new int[16];
    private int[] deltaOffset = new int[16];
    private int[] fullSeq = new int[16];
    private int[] fullCost = new int[16];
    private int[] fullSource = new int[16];
    private int[] fullOffset = new int[16];

    // counters
    private long snapshotsEncoded;
    private long encodingsShared;
    private long entitiesCreatedSent;
    private long entitiesUpdatedSent;
    private long entitiesRemovedSent;
    private long entitiesSkippedForBudget;
    private long payloadBytes;

    /** A replicator keeping {@value ReplicatedWorld#HISTORY} snapshots of history. */
    public Replicator(Schema schema) {
        this.world = new ReplicatedWorld(schema);
        this.typeFields = new Field[world.types.length][];
        for (int t = 0; t < typeFields.length; t++) {
            EntityType type = world.types[t];
            typeFields[t] = new Field[type.fieldCount()];
            for (int f = 0; f < type.fieldCount(); f++) {
                typeFields[t][f] = type.fieldAt(f);
            }
        }
    }

    /** The state the game writes. */
    public ReplicatedState state() {
        return world;
    }

    /** Starts replicating to {@code playerId} (from a full state); keeps a viewpoint set before. */
    public void addViewer(int playerId) {
        Viewer viewer = world.viewerForSettings(playerId);
        releaseRecords(viewer);
        viewer.skips.clear();
        viewer.added = true;
    }

    /** Forgets {@code playerId}: its records, skip counts and viewpoint. */
    public void removeViewer(int playerId) {
        Viewer viewer = world.viewers.remove(playerId);
        if (viewer != null) {
            releaseRecords(viewer);
        }
    }

    /**
     * Commits the world as snapshot {@code tick} (ticks must increase): O(entities × fields) into the
     * history ring, marking changed entities, and the interest grid rebuilt.
     */
    public void beginSnapshot(long tick) {
        if (inSnapshot) {
            throw new IllegalStateException("beginSnapshot(" + tick + ") before endSnapshot() of the previous one");
        }
        world.commit(tick);
        int slots = world.slotId.length;
        if (deltaSeq.length < slots) {
            deltaSeq = Arrays.copyOf(deltaSeq, slots);
            deltaMask = Arrays.copyOf(deltaMask, slots);
            deltaCost = Arrays.copyOf(deltaCost, slots);
            deltaSource = Arrays.copyOf(deltaSource, slots);
            deltaOffset = Arrays.copyOf(deltaOffset, slots);
            fullSeq = Arrays.copyOf(fullSeq, slots);
            fullCost = Arrays.copyOf(fullCost, slots);
            fullSource = Arrays.copyOf(fullSource, slots);
            fullOffset = Arrays.copyOf(fullOffset, slots);
        }
        inSnapshot = true;
    }

    /**
     * Encodes the current snapshot for {@code playerId}, against its record of {@code baselineTick}
     * (0, or a tick whose record is gone: a full state). {@code withHash} adds the state hash; it is
     * left out ({@link Encoding#hasHash()} false) in the rare case where the viewer still holds an
     * entity the budget held back for longer than the history, whose values are no longer known.
     * The returned object is reused; it and its bytes stay valid until {@link #endSnapshot()}.
     */
    public Encoding encode(int playerId, long baselineTick, boolean withHash) {
        if (!inSnapshot) {
            throw new IllegalStateException("encode outside beginSnapshot/endSnapshot");
        }
        Viewer viewer = world.viewers.get(playerId);
        if (viewer == null || !viewer.added) {
            throw new IllegalArgumentException("player " + playerId + " is not a viewer of this room");
        }
        int s = world.seq;
        int baseSeq = baselineTick == 0 ? 0 : world.seqOfTick(baselineTick);
        ViewRecord base = null;
        if (baseSeq != 0) {
            ViewRecord record = viewer.records[baseSeq % H];
            if (record != null && record.seq == baseSeq) {
                base = record;
            } else {
                baseSeq = 0;
            }
        }
        buildRelevant(viewer);
        snapshotsEncoded++;

        int key = mixHash(mixHash(mixHash(relHash, base == null ? 0 : base.hash), baseSeq), withHash ? 1 : 0);
        Encoding encoding = findShared(key, base, baseSeq, withHash);
        if (encoding != null) {
            encodingsShared++;
            if (!viewer.skips.isEmpty()) {
                viewer.skips.clear();
            }
        } else {
            encoding = nextEncoding();
            encoding.key = key;
            encoding.base = base;
            encoding.baseSeq = baseSeq;
            encoding.withHash = withHash;
            encoding.relevantIsGlobal = relGlobal;
            encoding.baselineTick = baseSeq == 0 ? 0 : world.tickOfSeq(baseSeq);
            encodeFresh(viewer, encoding, base, s, withHash);
            if (encoding.shareable) {
                addShared(encoding);
            }
        }
        keepRecord(viewer, s, encoding.record);
        entitiesCreatedSent += encoding.created;
        entitiesUpdatedSent += encoding.updated;
        entitiesRemovedSent += encoding.removed;
        payloadBytes += encoding.length();
        return encoding;
    }

    /** Ends the snapshot: every {@link Encoding} of it may now be reused. */
    public void endSnapshot() {
        for (int i = 0; i < encodingCount; i++) {
            Encoding encoding = encodings[i];
            release(encoding.record);
            encoding.record = null;
            encoding.base = null;
        }
        encodingCount = 0;
        Arrays.fill(shareTable, 0);
        inSnapshot = false;
    }

    // ------------------------------------------------------------------ counters

    /** Calls to {@link #encode}. */
    public long snapshotsEncoded() {
        return snapshotsEncoded;
    }

    /** Calls to {@link #encode} answered with an encoding made for an earlier viewer of the snapshot. */
    public long encodingsShared() {
        return encodingsShared;
    }

    /** Entity creations sent, counted per viewer. */
    public long entitiesCreatedSent() {
        return entitiesCreatedSent;
    }

    /** Entity updates sent, counted per viewer. */
    public long entitiesUpdatedSent() {
        return entitiesUpdatedSent;
    }

    /** Entity removals sent, counted per viewer. */
    public long entitiesRemovedSent() {
        return entitiesRemovedSent;
    }

    /** Creations and updates held back by the byte budget, counted per viewer per snapshot. */
    public long entitiesSkippedForBudget() {
        return entitiesSkippedForBudget;
    }

    /** Bytes of {@code Snapshot.state} handed out, counted per viewer. */
    public long payloadBytes() {
        return payloadBytes;
    }

    // ------------------------------------------------------------------ the relevant set

    private void buildRelevant(Viewer viewer) {
        ReplicatedWorld w = world;
        int playerId = viewer.playerId;
        boolean positional = w.committedInterest && viewer.hasViewpoint;
        if (positional && viewer.viewpointEntity != 0) {
            int slot = w.slotOrMissing(viewer.viewpointEntity);
            if (slot >= 0 && w.bornSeq[slot] != 0 && w.typePosX[w.slotType[slot]] >= 0) {
                viewer.viewX = w.committedX[slot];
                viewer.viewY = w.committedY[slot];
            }
        }
        if (!positional || w.grid.size() == 0) {
            if (w.globalPrivateCount == 0) {
                relIds = w.globalIds;
                relSlots = w.globalSlots;
                relCount = w.globalCount;
                relHash = w.globalHash;
                relGlobal = true;
                return;
            }
        }
        relGlobal = false;
        int gridCount = 0;
        if (positional) {
            if (packed.length < w.grid.size()) {
                packed = new long[Math.max(w.grid.size(), packed.length * 2)];
            }
            gridCount = w.grid.query(viewer.viewX, viewer.viewY, w.committedRadius, playerId, packed);
            sortLongs(packed, 0, gridCount - 1);
        }
        int capacity = gridCount + w.globalCount;
        if (scratchIds.length < capacity) {
            int size = Math.max(capacity, scratchIds.length * 2);
            scratchIds = new int[size];
            scratchSlots = new int[size];
        }
        int[] ids = scratchIds;
        int[] slots = scratchSlots;
        int[] globalIds = w.globalIds;
        int[] globalSlots = w.globalSlots;
        int[] visibleTo = w.globalVisibleTo;
        int globalCount = w.globalCount;
        int n = 0;
        int g = 0;
        int p = 0;
        int hash = HASH_SEED;
        while (true) {
            // skip global entities private to someone else
            while (g < globalCount) {
                int only = visibleTo[g];
                if (only == 0 || only == playerId) {
                    break;
                }
                g++;
            }
            boolean hasGlobal = g < globalCount;
            boolean hasGrid = p < gridCount;
            if (!hasGlobal && !hasGrid) {
                break;
            }
            if (hasGlobal && (!hasGrid || globalIds[g] < (int) (packed[p] >>> 32))) {
                ids[n] = globalIds[g];
                slots[n] = globalSlots[g];
                g++;
            } else {
                long e = packed[p++];
                ids[n] = (int) (e >>> 32);
                slots[n] = (int) e;
            }
            hash = mixHash(hash, ids[n]);
            n++;
        }
        relIds = ids;
        relSlots = slots;
        relCount = n;
        relHash = hash;
    }

    // ------------------------------------------------------------------ sharing

    private Encoding findShared(int key, ViewRecord base, int baseSeq, boolean withHash) {
        int mask = shareTable.length - 1;
        int i = key & mask;
        while (true) {
            int entry = shareTable[i];
            if (entry == 0) {
                return null;
            }
            Encoding e = encodings[entry - 1];
            if (e.key == key && e.baseSeq == baseSeq && e.withHash == withHash && sameBase(e.base, base)
                    && sameRelevant(e)) {
                return e;
            }
            i = (i + 1) & mask;
        }
    }

    private static boolean sameBase(ViewRecord a, ViewRecord b) {
        return a == b || (a != null && b != null && a.sameContent(b));
    }

    /** A shareable encoding sent every relevant entity, so its record's ids are its relevant set. */
    private boolean sameRelevant(Encoding e) {
        if (e.relevantIsGlobal && relGlobal) {
            return true;
        }
        ViewRecord r = e.record;
        return r.count == relCount && Arrays.equals(r.ids, 0, relCount, relIds, 0, relCount);
    }

    private void addShared(Encoding e) {
        if (encodingCount * 2 > shareTable.length) {
            shareTable = new int[shareTable.length * 2];
            for (int k = 0; k < encodingCount; k++) {
                if (encodings[k].shareable) {
                    insertShared(encodings[k]);
                }
            }
        } else {
            insertShared(e);
        }
    }

    private void insertShared(Encoding e) {
        int mask = shareTable.length - 1;
        int i = e.key & mask;
        while (shareTable[i] != 0) {
            i = (i + 1) & mask;
        }
        shareTable[i] = e.shareIndex + 1;
    }

    private Encoding nextEncoding() {
        if (encodingCount == encodings.length) {
            encodings = Arrays.copyOf(encodings, encodingCount * 2);
        }
        Encoding e = encodings[encodingCount];
        if (e == null) {
            e = new Encoding();
            encodings[encodingCount] = e;
        }
        e.shareIndex = encodingCount++;
        return e;
    }

    // ------------------------------------------------------------------ encoding

    private void encodeFresh(Viewer viewer, Encoding e, ViewRecord base, int s, boolean withHash) {
        ReplicatedWorld w = world;
        int n = relCount;
        ensurePerEntity(n, base == null ? 0 : base.count);
        int[] ids = relIds;
        int[] slots = relSlots;
        int[] history = w.history;
        int[] lastChanged = w.lastChanged;
        int[] slotType = w.slotType;
        int[] fieldCount = w.typeFieldCount;
        int stride = w.stride;
        int oldest = s - H + 1;
        int rowS = s % H;
        int typeBits = w.typeBits;

        // 1. merge the baseline record with the relevant set: removals, creations, updates
        int removedCount = 0;
        int createCount = 0;
        int updateCount = 0;
        int bits = 0;
        int removalBits = 0;
        int baseCount = base == null ? 0 : base.count;
        int[] baseIds = base == null ? null : base.ids;
        int[] baseRefs = base == null ? null : base.refs;
        int previousRemoved = 0;
        int previousCreated = 0;
        int previousUpdated = 0;
        int i = 0;
        for (int j = 0; j < n; j++) {
            int id = ids[j];
            while (i < baseCount && baseIds[i] < id) {
                int removed = baseIds[i++];
                removedIds[removedCount++] = removed;
                removalBits += BitWriter.gammaBits(removed - previousRemoved - 1);
                previousRemoved = removed;
            }
            int slot = slots[j];
            int t = slotType[slot];
            int fields = fieldCount[t];
            Field[] fieldsOfType = typeFields[t];
            int now = (slot * H + rowS) * stride;
            int ref = 0;
            if (i < baseCount && baseIds[i] == id) {
                ref = baseRefs[i++];
                if (ref >= oldest) {
                    if (lastChanged[slot] <= ref) {
                        kind[j] = UNCHANGED;
                        continue;
                    }
                    long m;
                    int c;
                    if (ref == s - 1 && deltaSeq[slot] == s) {
                        m = deltaMask[slot];
                        c = deltaCost[slot];
                    } else {
                        int then = (slot * H + ref % H) * stride;
                        m = 0;
                        c = fields;
                        for (int f = 0; f < fields; f++) {
                            int o = history[then + f];
                            int q = history[now + f];
                            if (o != q) {
                                m |= 1L << f;
                                c += FieldCodec.deltaBits(fieldsOfType[f], o, q);
                            }
                        }
                        if (ref == s - 1) {
                            deltaSeq[slot] = s;
                            deltaMask[slot] = m;
                            deltaCost[slot] = c;
                            deltaSource[slot] = -1;
                        }
                    }
                    if (m == 0) {
                        kind[j] = UNCHANGED;
                        continue;
                    }
                    kind[j] = UPDATE;
                    oldRef[j] = ref;
                    mask[j] = m;
                    cost[j] = c;
                    updateList[updateCount++] = j;
                    bits += c + BitWriter.gammaBits(id - previousUpdated - 1);
                    previousUpdated = id;
                    continue;
                }
            }
            int c;
            if (fullSeq[slot] == s) {
                c = fullCost[slot];
            } else {
                c = typeBits;
                for (int f = 0; f < fields; f++) {
                    c += FieldCodec.fullBits(fieldsOfType[f], history[now + f]);
                }
                fullSeq[slot] = s;
                fullCost[slot] = c;
                fullSource[slot] = -1;
            }
            kind[j] = CREATE;
            oldRef[j] = ref;
            cost[j] = c;
            createList[createCount++] = j;
            bits += c + BitWriter.gammaBits(id - previousCreated - 1);
            previousCreated = id;
        }
        while (i < baseCount) {
            int removed = baseIds[i++];
            removedIds[removedCount++] = removed;
            removalBits += BitWriter.gammaBits(removed - previousRemoved - 1);
            previousRemoved = removed;
        }
        removalBits += BitWriter.gammaBits(removedCount);
        bits += removalBits + BitWriter.gammaBits(createCount) + BitWriter.gammaBits(updateCount);

        // 2. the budget
        long budgetBits = (long) w.byteBudget * 8;
        boolean fitsAll = bits <= budgetBits || createCount + updateCount == 0;
        int selectedCreates = createCount;
        int selectedUpdates = updateCount;
        if (fitsAll) {
            for (int k = 0; k < createCount; k++) {
                selected[createList[k]] = true;
            }
            for (int k = 0; k < updateCount; k++) {
                selected[updateList[k]] = true;
            }
            if (!viewer.skips.isEmpty()) {
                viewer.skips.clear();
            }
        } else {
            long chosen = selectWithinBudget(viewer, createCount, updateCount, removalBits, budgetBits);
            selectedCreates = (int) (chosen >>> 32);
            selectedUpdates = (int) chosen;
        }

        // 3. write
        BitWriter out = e.writer;
        out.reset();
        out.writeGamma(removedCount);
        for (int r = 0, previous = 0; r < removedCount; r++) {
            out.writeGamma(removedIds[r] - previous - 1);
            previous = removedIds[r];
        }
        out.writeGamma(selectedCreates);
        for (int k = 0, previous = 0; k < createCount; k++) {
            int j = createList[k];
            if (!selected[j]) {
                continue;
            }
            int id = ids[j];
            int slot = slots[j];
            int t = slotType[slot];
            Field[] fieldsOfType = typeFields[t];
            int now = (slot * H + rowS) * stride;
            out.writeGamma(id - previous - 1);
            previous = id;
            if (fullSource[slot] >= 0) {
                copyBits(encodings[fullSource[slot]].writer.array(), fullOffset[slot], fullCost[slot], out);
                continue;
            }
            fullSource[slot] = e.shareIndex;
            fullOffset[slot] = out.bitLength();
            out.writeBits(w.typeIdOf[t], typeBits);
            for (int f = 0; f < fieldsOfType.length; f++) {
                FieldCodec.writeFull(out, fieldsOfType[f], history[now + f]);
            }
        }
        out.writeGamma(selectedUpdates);
        for (int k = 0, previous = 0; k < updateCount; k++) {
            int j = updateList[k];
            if (!selected[j]) {
                continue;
            }
            int id = ids[j];
            int slot = slots[j];
            int t = slotType[slot];
            Field[] fieldsOfType = typeFields[t];
            int fields = fieldsOfType.length;
            int now = (slot * H + rowS) * stride;
            int then = (slot * H + oldRef[j] % H) * stride;
            long m = mask[j];
            out.writeGamma(id - previous - 1);
            previous = id;
            boolean common = oldRef[j] == s - 1;
            if (common) {
                if (deltaSource[slot] >= 0) {
                    copyBits(encodings[deltaSource[slot]].writer.array(), deltaOffset[slot], deltaCost[slot], out);
                    continue;
                }
                deltaSource[slot] = e.shareIndex;
                deltaOffset[slot] = out.bitLength();
            }
            if (fields <= 32) {
                out.writeBits(m, fields);
            } else {
                out.writeBits(m, 32);
                out.writeBits(m >>> 32, fields - 32);
            }
            while (m != 0) {
                int f = Long.numberOfTrailingZeros(m);
                m &= m - 1;
                FieldCodec.writeDelta(out, fieldsOfType[f], history[then + f], history[now + f]);
            }
        }

        // 4. the new record, and the state hash
        ViewRecord record = acquireRecord(s);
        boolean hashable = withHash;
        int hash = StateHash.START;
        for (int j = 0; j < n; j++) {
            int ref;
            byte k = kind[j];
            if (k == UNCHANGED || selected[j]) {
                ref = s;
            } else {
                ref = oldRef[j];
                if (ref == 0) {
                    selected[j] = false;
                    continue; // a creation held back: the viewer does not have it
                }
            }
            selected[j] = false;
            int id = ids[j];
            record.add(id, ref);
            if (hashable) {
                if (ref < oldest) {
                    hashable = false;
                    continue;
                }
                int slot = slots[j];
                int t = slotType[slot];
                hash = StateHash.mix(StateHash.mix(hash, id), w.typeIdOf[t]);
                int at = (slot * H + ref % H) * stride;
                for (int f = 0, fields = fieldCount[t]; f < fields; f++) {
                    hash = StateHash.mix(hash, history[at + f]);
                }
            }
        }
        record.seal();
        e.record = record;
        e.hasHash = hashable;
        e.stateHash = hashable ? hash : 0;
        e.created = selectedCreates;
        e.updated = selectedUpdates;
        e.removed = removedCount;
        e.shareable = fitsAll;
    }

    /**
     * Marks in {@link #selected} the creations and updates that fit, highest priority first, counting
     * the exact bits (an id gap's width depends on its selected neighbours); the first candidate is
     * taken even when it alone is over the budget, so that nothing starves. Updates the viewer's skip
     * counts. Returns {@code selectedCreates << 32 | selectedUpdates}.
     */
    private long selectWithinBudget(Viewer viewer, int createCount, int updateCount, int removalBits,
            long budgetBits) {
        ReplicatedWorld w = world;
        int total = createCount + updateCount;
        int words = (Math.max(createCount, updateCount) + 63) >>> 6;
        if (createSelected.length < words) {
            createSelected = new long[words];
            updateSelected = new long[words];
        }
        Arrays.fill(createSelected, 0, words, 0L);
        Arrays.fill(updateSelected, 0, words, 0L);
        boolean hasView = viewer.hasViewpoint;
        double vx = viewer.viewX;
        double vy = viewer.viewY;
        int viewpointEntity = viewer.viewpointEntity;
        for (int k = 0; k < total; k++) {
            int j = k < createCount ? createList[k] : updateList[k - createCount];
            candidates[k] = j;
            listPos[j] = k < createCount ? k : k - createCount;
            int slot = relSlots[j];
            int t = w.slotType[slot];
            int skips = viewer.skips.get(relIds[j]);
            skipCount[j] = skips;
            double p = (double) w.typePriority[t] * (1.0 + skips);
            if (relIds[j] == viewpointEntity) {
                // First, always: a player's input acknowledgement refers to its own entity's state in the
                // same snapshot, so its changes are never held back for others'.
                p = Double.POSITIVE_INFINITY;
            }
            priority[j] = p;
            double d = 0;
            if (hasView && w.typePosX[t] >= 0) {
                double dx = w.committedX[slot] - vx;
                double dy = w.committedY[slot] - vy;
                d = dx * dx + dy * dy;
            }
            distance[j] = d;
        }
        sortCandidates(candidates, 0, total - 1);

        long bits = removalBits + 2; // two empty counts
        int chosenCreates = 0;
        int chosenUpdates = 0;
        for (int k = 0; k < total; k++) {
            int j = candidates[k];
            boolean isCreate = kind[j] == CREATE;
            long[] set = isCreate ? createSelected : updateSelected;
            int[] list = isCreate ? createList : updateList;
            int listCount = isCreate ? createCount : updateCount;
            int chosenInList = isCreate ? chosenCreates : chosenUpdates;
            int pos = listPos[j];
            int id = relIds[j];
            int before = previousSet(set, pos - 1);
            int after = nextSet(set, pos + 1, listCount);
            int previousId = before < 0 ? 0 : relIds[list[before]];
            long delta = cost[j] + BitWriter.gammaBits(id - previousId - 1)
                    + BitWriter.gammaBits(chosenInList + 1) - BitWriter.gammaBits(chosenInList);
            if (after >= 0) {
                int nextId = relIds[list[after]];
                delta += BitWriter.gammaBits(nextId - id - 1) - BitWriter.gammaBits(nextId - previousId - 1);
            }
            boolean first = chosenCreates + chosenUpdates == 0;
            if (bits + delta <= budgetBits || first) {
                bits += delta;
                set[pos >>> 6] |= 1L << pos;
                selected[j] = true;
                if (isCreate) {
                    chosenCreates++;
                } else {
                    chosenUpdates++;
                }
                if (bits > budgetBits) {
                    break; // one entity larger than the budget: sent alone
                }
            }
        }
        // skip counts: exactly the candidates held back now
        viewer.skips.clear();
        int skipped = 0;
        for (int k = 0; k < total; k++) {
            int j = candidates[k];
            if (!selected[j]) {
                viewer.skips.put(relIds[j], skipCount[j] + 1);
                skipped++;
            }
        }
        entitiesSkippedForBudget += skipped;
        return ((long) chosenCreates << 32) | chosenUpdates;
    }

    /** Appends {@code bits} bits of {@code source} from bit {@code from} (written by a BitWriter). */
    private static void copyBits(byte[] source, int from, int bits, BitWriter out) {
        while (bits > 0) {
            int take = Math.min(bits, 32);
            int at = from >>> 3;
            int shift = from & 7;
            int bytes = (shift + take + 7) >>> 3;
            long v = 0;
            for (int b = 0; b < bytes; b++) {
                v |= (long) (source[at + b] & 0xFF) << (b << 3);
            }
            out.writeBits(v >>> shift, take);
            from += take;
            bits -= take;
        }
    }

    private static int previousSet(long[] set, int pos) {
        if (pos < 0) {
            return -1;
        }
        int word = pos >>> 6;
        long bits = set[word] & (-1L >>> (63 - (pos & 63)));
        while (true) {
            if (bits != 0) {
                return (word << 6) + 63 - Long.numberOfLeadingZeros(bits);
            }
            if (--word < 0) {
                return -1;
            }
            bits = set[word];
        }
    }

    private static int nextSet(long[] set, int pos, int limit) {
        if (pos >= limit) {
            return -1;
        }
        int word = pos >>> 6;
        int words = (limit + 63) >>> 6;
        long bits = set[word] & (-1L << (pos & 63));
        while (true) {
            if (bits != 0) {
                int found = (word << 6) + Long.numberOfTrailingZeros(bits);
                return found < limit ? found : -1;
            }
            if (++word >= words) {
                return -1;
            }
            bits = set[word];
        }
    }

    /** Highest priority first, then nearest, then lowest id. */
    private boolean before(int a, int b) {
        double pa = priority[a];
        double pb = priority[b];
        if (pa != pb) {
            return pa > pb;
        }
        double da = distance[a];
        double db = distance[b];
        if (da != db) {
            return da < db;
        }
        return relIds[a] < relIds[b];
    }

    private void sortCandidates(int[] a, int lo, int hi) {
        while (hi - lo > 16) {
            int pivot = a[(lo + hi) >>> 1];
            int l = lo;
            int r = hi;
            while (l <= r) {
                while (before(a[l], pivot)) {
                    l++;
                }
                while (before(pivot, a[r])) {
                    r--;
                }
                if (l <= r) {
                    int x = a[l];
                    a[l++] = a[r];
                    a[r--] = x;
                }
            }
            if (r - lo < hi - l) {
                sortCandidates(a, lo, r);
                lo = l;
            } else {
                sortCandidates(a, l, hi);
                hi = r;
            }
        }
        for (int k = lo + 1; k <= hi; k++) {
            int x = a[k];
            int m = k - 1;
            while (m >= lo && before(x, a[m])) {
                a[m + 1] = a[m];
                m--;
            }
            a[m + 1] = x;
        }
    }

    /** Sorts {@code a[lo..hi]} ascending without allocating. */
    static void sortLongs(long[] a, int lo, int hi) {
        while (hi - lo > 16) {
            long pivot = a[(lo + hi) >>> 1];
            int l = lo;
            int r = hi;
            while (l <= r) {
                while (a[l] < pivot) {
                    l++;
                }
                while (a[r] > pivot) {
                    r--;
                }
                if (l <= r) {
                    long x = a[l];
                    a[l++] = a[r];
                    a[r--] = x;
                }
            }
            if (r - lo < hi - l) {
                sortLongs(a, lo, r);
                lo = l;
            } else {
                sortLongs(a, l, hi);
                hi = r;
            }
        }
        for (int k = lo + 1; k <= hi; k++) {
            long x = a[k];
            int m = k - 1;
            while (m >= lo && a[m] > x) {
                a[m + 1] = a[m];
                m--;
            }
            a[m + 1] = x;
        }
    }

    private void ensurePerEntity(int relevant, int baseCount) {
        if (kind.length < relevant) {
            int size = Math.max(relevant, kind.length * 2);
            kind = new byte[size];
            oldRef = new int[size];
            mask = new long[size];
            cost = new int[size];
            selected = new boolean[size];
            createList = new int[size];
            updateList = new int[size];
            candidates = new int[size];
            listPos = new int[size];
            priority = new double[size];
            distance = new double[size];
            skipCount = new int[size];
        }
        if (removedIds.length < baseCount) {
            removedIds = new int[Math.max(baseCount, removedIds.length * 2)];
        }
    }

    // ------------------------------------------------------------------ records

    private ViewRecord acquireRecord(int s) {
        ViewRecord r = pooledRecords > 0 ? recordPool[--pooledRecords] : new ViewRecord();
        r.clear(s);
        r.refCount = 1; // the encoding's reference, released at endSnapshot
        return r;
    }

    private void keepRecord(Viewer viewer, int s, ViewRecord record) {
        int at = s % H;
        ViewRecord old = viewer.records[at];
        record.refCount++;
        viewer.records[at] = record;
        if (old != null) {
            release(old);
        }
    }

    private void release(ViewRecord r) {
        if (r != null && --r.refCount == 0) {
            if (pooledRecords == recordPool.length) {
                recordPool = Arrays.copyOf(recordPool, pooledRecords * 2);
            }
            recordPool[pooledRecords++] = r;
        }
    }

    private void releaseRecords(Viewer viewer) {
        for (int k = 0; k < H; k++) {
            release(viewer.records[k]);
            viewer.records[k] = null;
        }
    }

    // ------------------------------------------------------------------ for tests

    /**
     * What {@code playerId} holds after the snapshot it was last encoded: for each entity in ascending
     * id, {@code id, typeId, q...}; null if that snapshot is not the current one. For tests (allocates).
     */
    int[][] viewOf(int playerId) {
        Viewer viewer = world.viewers.get(playerId);
        ViewRecord record = viewer == null ? null : viewer.records[world.seq % H];
        if (record == null || record.seq != world.seq) {
            return null;
        }
        int[][] view = new int[record.count][];
        for (int k = 0; k < record.count; k++) {
            int id = record.ids[k];
            int ref = record.refs[k];
            int slot = world.slotOrMissing(id);
            if (slot < 0 || ref < world.seq - H + 1) {
                return null;
            }
            int t = world.slotType[slot];
            int fields = world.typeFieldCount[t];
            int[] entry = new int[2 + fields];
            entry[0] = id;
            entry[1] = world.typeIdOf[t];
            int at = (slot * H + ref % H) * world.stride;
            for (int f = 0; f < fields; f++) {
                entry[2 + f] = world.history[at + f];
            }
            view[k] = entry;
        }
        return view;
    }

    static int mixHash(int h, int v) {
        return (Integer.rotateLeft(h, 5) ^ v) * 0x9E37_79B1;
    }
}
