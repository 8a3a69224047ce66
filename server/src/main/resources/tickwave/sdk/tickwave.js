/**
 * The Tickwave browser SDK (docs/sdk.md): one ES module a game page imports, served by the server at
 * /sdk/tickwave.js. No build step; protobufjs is the page's (the server's WebJar, loaded as a classic
 * script before the module: window.protobuf).
 *
 *   <script src="/webjars/protobufjs/7.5.4/dist/protobuf.min.js"></script>
 *   <script type="module">
 *     import { connect } from '/sdk/tickwave.js';
 *     const game = await connect({
 *       name: 'ann', protos: ['/proto/tag.proto'],
 *       types: { input: 'tag.v1.TagInput', event: 'tag.v1.TagEvent', info: 'tag.v1.TagInfo' },
 *       inputRate: 20,                                  // setInput() is sent 20 times a second
 *       onAdded(id, entity) {}, onChanged(id, entity, names) {}, onRemoved(id, entity) {},
 *       onEvent(event, tick) {}, onChat(line) {}, onReconnecting(info) {}, onClose(info) {},
 *     });
 *     game.setInput({ dx: 1, dy: 0 });
 *     const { entities } = game.replica.buffer.sample(performance.now()); // each frame
 *   </script>
 *
 * The connection (client.js): TickwaveClient, connect, loadProtocol, storedSeat, error and close codes.
 * The replicated state (replica.js, docs/replication.md): Replica, Schema, InterpolationBuffer and the
 * decoding pieces, usable on their own by a page that runs its own connection.
 */

export { Replica, ReplicationError, toNumber } from './replica.js';
export { Schema, FieldKind, camelCase } from './schema.js';
export { applyState, stateHash, dequantize, EntityRecord } from './state.js';
export { InterpolationBuffer, entityObject } from './interpolation.js';
export { BitReader, MalformedStateError } from './bits.js';
export {
  TickwaveClient, connect, loadProtocol, storedSeat, forgetSeat, tokenToText, tokenFromText,
  ErrorCode, errorCodeName, CloseCode, isFinalClose, ServerError, PROTOCOL_VERSION,
} from './client.js';
