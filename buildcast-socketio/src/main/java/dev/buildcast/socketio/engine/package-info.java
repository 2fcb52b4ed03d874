/**
 * The Engine.IO v4 server on Jetty 12: everything below Socket.IO.
 *
 * <p>What this package owns:
 *
 * <ul>
 *   <li>the handshake and the validation of every request, with the protocol's error codes
 *       ({@code EngineHandler}, {@code Rejection}, {@code OriginPolicy});
 *   <li>the two transports: HTTP long-polling, whose GET is held asynchronously while nothing is
 *       queued ({@code PollingTransport}), and WebSocket on Jetty's core WebSocket API
 *       ({@code WebSocketTransport});
 *   <li>the upgrade from polling to WebSocket, which cannot lose, duplicate or reorder a packet
 *       because both transports take from one queue per session ({@code EngineSession});
 *   <li>heartbeats ({@code Heartbeat}), the bounded outbound queue with its drain signal
 *       ({@code OutboundQueue}), and the per-session serial hand-off of listener calls to virtual
 *       threads ({@code SerialExecutor});
 *   <li>the wire format ({@code EnginePacketCodec}, {@code OutboundPacket}; message framings are
 *       cached on {@link dev.buildcast.socketio.engine.EngineMessage} so a broadcast is encoded
 *       once);
 *   <li>writing without a wait (a socket's writer starts off the sender's thread as soon as a
 *       packet is queued, and what is queued while a write is in flight leaves together in the
 *       next one) and permessage-deflate
 *       with a size threshold ({@code ThresholdDeflateExtension});
 *   <li>closing: a graceful close delivers what is queued (on polling in the next poll, the close
 *       packet alone after it; on a WebSocket, and in the middle of an upgrade over the new one,
 *       the close frame only after the last of them is written), an abort drops it, and a socket
 *       that never takes its last packets is cut off after the ping timeout; when a polling
 *       client closes the session while its GET is still on the way, that GET gets the noop it
 *       would have got if held ({@code LatePolls}).
 * </ul>
 *
 * <p>The public surface is {@link dev.buildcast.socketio.engine.EngineServer}, {@link
 * dev.buildcast.socketio.engine.EngineSocket}, {@link dev.buildcast.socketio.engine.EngineMessage}
 * and {@link dev.buildcast.socketio.engine.EngineConfig}; the rest is package-private (but for
 * the deflate extension, public because Jetty instantiates it by class).
 *
 * <p>Deployment note: a held long-polling GET lives up to {@code pingInterval}; the Jetty
 * connector's idle timeout must be longer than that (Jetty's default 30 s suits the default 25 s
 * interval).
 */
package dev.buildcast.socketio.engine;
