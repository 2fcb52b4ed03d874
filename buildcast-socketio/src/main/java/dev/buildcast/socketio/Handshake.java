package dev.buildcast.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.Map;

/**
 * What a socket's client presented when it connected to a namespace.
 *
 * @param auth the CONNECT packet's payload (the client's {@code auth} option); an empty object when
 *     the client sent none. Each socket has its own copy.
 * @param query the query parameters of the Engine.IO handshake request (first value of each)
 * @param headers the headers of the Engine.IO handshake request (lower-case names)
 * @param remoteAddress the remote address of the Engine.IO handshake request
 * @param time when the CONNECT packet was received
 */
public record Handshake(
    JsonNode auth, Map<String, String> query, Map<String, String> headers, SocketAddress remoteAddress, Instant time) {}
