package io.tickwave.arena;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.tickwave.arena.protocol.Bullet;
import io.tickwave.arena.protocol.Pickup;
import io.tickwave.arena.protocol.PlayerScore;
import io.tickwave.arena.protocol.Ship;
import io.tickwave.replication.EntityType;
import io.tickwave.replication.Field;
import io.tickwave.replication.ReplicaClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one client holds of the arena's replicated state at one snapshot, rebuilt by a
 * {@link ReplicaClient} and turned back into the generated messages of {@code arena.proto}, with each
 * entity's id. Immutable; for tests, on any thread.
 *
 * @param tick the snapshot the state belongs to
 */
public record ArenaView(long tick, List<Entity<Ship>> shipEntities, List<BulletView> bullets,
                        List<Entity<Pickup>> pickupEntities, List<Entity<PlayerScore>> scoreEntities) {

    /** One entity: its replicated id and its values as the generated message. */
    public record Entity<T extends Message>(int id, T value) {
    }

    /**
     * A bullet as a client sees it: fixed at creation, flying at {@code speed} along its angle.
     *
     * @param speed units per second ({@code ArenaInfo.bullet_speed})
     */
    public record BulletView(int id, Bullet value, double speed) {
        public int getOwnerId() {
            return value.getOwnerId();
        }

        /** Where it was at the end of its spawn tick. */
        public float getX() {
            return value.getX();
        }

        public float getY() {
            return value.getY();
        }

        public double getVx() {
            return speed * Math.cos(value.getAngle());
        }

        public double getVy() {
            return speed * Math.sin(value.getAngle());
        }
    }

    /** The newest state of {@code replica}, whose bullets fly at {@code bulletSpeed}. */
    public static ArenaView of(ReplicaClient replica, double bulletSpeed) {
        List<Entity<Ship>> ships = new ArrayList<>();
        List<BulletView> bullets = new ArrayList<>();
        List<Entity<Pickup>> pickups = new ArrayList<>();
        List<Entity<PlayerScore>> scores = new ArrayList<>();
        for (int i = 0; i < replica.entityCount(); i++) {
            String type = replica.typeAt(i).name();
            if (type.equals(Ship.getDescriptor().getFullName())) {
                ships.add(new Entity<>(replica.idAt(i), (Ship) message(replica, i, Ship.getDefaultInstance())));
            } else if (type.equals(Bullet.getDescriptor().getFullName())) {
                bullets.add(new BulletView(replica.idAt(i), (Bullet) message(replica, i, Bullet.getDefaultInstance()),
                        bulletSpeed));
            } else if (type.equals(Pickup.getDescriptor().getFullName())) {
                pickups.add(new Entity<>(replica.idAt(i), (Pickup) message(replica, i, Pickup.getDefaultInstance())));
            } else if (type.equals(PlayerScore.getDescriptor().getFullName())) {
                scores.add(new Entity<>(replica.idAt(i),
                        (PlayerScore) message(replica, i, PlayerScore.getDefaultInstance())));
            }
        }
        return new ArenaView(replica.tick(), List.copyOf(ships), List.copyOf(bullets), List.copyOf(pickups),
                List.copyOf(scores));
    }

    /** The {@code index}-th entity of the replica as a message of {@code prototype}'s type, each field as the client sees it. */
    private static Message message(ReplicaClient replica, int index, Message prototype) {
        EntityType type = replica.typeAt(index);
        Message.Builder builder = prototype.newBuilderForType();
        for (int f = 0; f < type.fieldCount(); f++) {
            Field field = type.fieldAt(f);
            FieldDescriptor descriptor = prototype.getDescriptorForType().findFieldByNumber(field.number());
            int q = replica.qAt(index, f);
            Object value = switch (field.kind()) {
                case BOOL -> q != 0;
                case QUANTIZED, ANGLE, FLOAT -> descriptor.getJavaType() == FieldDescriptor.JavaType.DOUBLE
                        ? field.dequantize(q) : (Object) (float) field.dequantize(q);
                case BOUNDED, UINT, SINT -> q;
            };
            builder.setField(descriptor, value);
        }
        return builder.build();
    }

    public List<Ship> getShipsList() {
        return shipEntities.stream().map(Entity::value).toList();
    }

    public List<BulletView> getBulletsList() {
        return bullets;
    }

    public List<Pickup> getPickupsList() {
        return pickupEntities.stream().map(Entity::value).toList();
    }

    public List<PlayerScore> getScoresList() {
        return scoreEntities.stream().map(Entity::value).toList();
    }

    public Optional<Ship> ship(int playerId) {
        return getShipsList().stream().filter(s -> s.getPlayerId() == playerId).findFirst();
    }

    public Optional<PlayerScore> score(int playerId) {
        return getScoresList().stream().filter(s -> s.getPlayerId() == playerId).findFirst();
    }
}
