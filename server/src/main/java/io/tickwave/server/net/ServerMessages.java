package io.tickwave.server.net;

import com.google.protobuf.MessageLite;
import io.tickwave.protocol.ChatLine;
import io.tickwave.protocol.Error;
import io.tickwave.protocol.ErrorCode;
import io.tickwave.protocol.GameEvent;
import io.tickwave.protocol.PlayerJoined;
import io.tickwave.protocol.PlayerLeft;
import io.tickwave.protocol.Pong;
import io.tickwave.protocol.ServerMessage;

/**
 * Encodes the server messages that are not snapshots. These are rare (joins, chat, errors, pongs), so
 * they use the generated classes and allocate; snapshots have their own allocation-free encoder.
 * Stateless; any thread.
 */
public final class ServerMessages {

    private ServerMessages() {
    }

    public static byte[] pong(long clientTime) {
        return ServerMessage.newBuilder().setPong(Pong.newBuilder().setClientTime(clientTime)).build().toByteArray();
    }

    public static byte[] error(ErrorCode code, String message) {
        return ServerMessage.newBuilder().setError(Error.newBuilder().setCode(code).setMessage(message))
                .build().toByteArray();
    }

    public static byte[] chat(int playerId, String name, String text) {
        return ServerMessage.newBuilder()
                .setChat(ChatLine.newBuilder().setPlayerId(playerId).setName(name).setText(text))
                .build().toByteArray();
    }

    public static byte[] playerJoined(int playerId, String name) {
        return ServerMessage.newBuilder()
                .setPlayerJoined(PlayerJoined.newBuilder().setPlayerId(playerId).setName(name))
                .build().toByteArray();
    }

    public static byte[] playerLeft(int playerId, String name) {
        return ServerMessage.newBuilder()
                .setPlayerLeft(PlayerLeft.newBuilder().setPlayerId(playerId).setName(name))
                .build().toByteArray();
    }

    /** A game's event: its own message, serialized into {@code GameEvent.payload}. */
    public static byte[] event(long tick, MessageLite payload) {
        return ServerMessage.newBuilder()
                .setEvent(GameEvent.newBuilder().setTick(tick).setPayload(payload.toByteString()))
                .build().toByteArray();
    }
}
