package io.tickwave.arena;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.tickwave.arena.protocol.ArenaInput;
import java.io.IOException;

/**
 * Reads an {@code arena.v1.ArenaInput} from raw bytes into its own reusable fields, without building a
 * message object. Unknown fields are skipped, so newer clients with extra fields still work.
 *
 * <p>Owned by one thread (the game-loop thread); {@link #read} overwrites the previous input.
 */
final class ArenaInputReader {

    int moveX;
    int moveY;
    float aim;
    boolean fire;

    /**
     * Reads one input. Returns false, leaving the fields unspecified, when the bytes are not a valid
     * ArenaInput: the game drops such an input instead of failing the tick.
     */
    boolean read(byte[] bytes, int offset, int length) {
        moveX = 0;
        moveY = 0;
        aim = 0f;
        fire = false;
        CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
        try {
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    return true;
                }
                switch (tag) {
                    case (ArenaInput.MOVE_X_FIELD_NUMBER << 3) | WireFormat.WIRETYPE_VARINT -> moveX = in.readSInt32();
                    case (ArenaInput.MOVE_Y_FIELD_NUMBER << 3) | WireFormat.WIRETYPE_VARINT -> moveY = in.readSInt32();
                    case (ArenaInput.AIM_FIELD_NUMBER << 3) | WireFormat.WIRETYPE_FIXED32 -> aim = in.readFloat();
                    case (ArenaInput.FIRE_FIELD_NUMBER << 3) | WireFormat.WIRETYPE_VARINT -> fire = in.readBool();
                    default -> {
                        if (!in.skipField(tag)) {
                            return true;
                        }
                    }
                }
            }
        } catch (IOException malformed) {
            return false;
        }
    }
}
