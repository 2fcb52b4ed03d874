/**
 * A Socket.IO v5 server on top of the Engine.IO seam in {@link dev.buildcast.socketio.engine}.
 *
 * <p>Entry point: {@link dev.buildcast.socketio.SocketIoServer}. It owns an {@link
 * dev.buildcast.socketio.engine.EngineServer}, turns every Engine.IO session into one client (which
 * can join several namespaces over that single connection), decodes and validates Socket.IO packets,
 * runs middleware and handlers, tracks acknowledgements, rooms and dynamic namespaces.
 *
 * <p>Threading model, in one place because every type relies on it: the engine calls this layer on
 * a serial executor per session, never on a Jetty I/O thread. Middleware, connect listeners, event
 * handlers and the completions of acknowledgements received from a client all run on that thread,
 * one at a time per session, in arrival order; a slow handler therefore only delays its own client.
 * Emitting, broadcasting, joining rooms and disconnecting may be done from any thread.
 *
 * <p>Backpressure: sending never blocks. Every send reports whether the client's bounded outbound
 * queue accepted the packet; {@link dev.buildcast.socketio.SlowClientPolicy} says what {@code emit}
 * and broadcasts do with a client that refused.
 *
 * <p>This package knows nothing of what is streamed over it.
 */
package dev.buildcast.socketio;
