package dev.buildcast.socket;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.job.InvalidRequestException;
import dev.buildcast.log.LogFilter;
import dev.buildcast.socketio.Handshake;
import java.util.Optional;

/**
 * How a watcher of a job wants its log, from the handshake's {@code auth} (or the query string,
 * for clients that cannot send auth): {@code format} "json" for batched {@code log} events instead
 * of the seed's {@code message} events, {@code detail: true} for every line, {@code since: N} to
 * resume after line N.
 */
record WatchOptions(boolean json, LogFilter filter, long since) {

  static WatchOptions from(Handshake handshake) {
    JsonNode auth = handshake.auth();
    boolean json = "json".equals(text(auth, "format").or(() -> query(handshake, "format")).orElse("message"));
    boolean detail = auth.path("detail").asBoolean(false) || "true".equals(handshake.query().get("detail"));
    long since = since(auth.get("since"), handshake.query().get("since"));
    return new WatchOptions(json, json && detail ? LogFilter.ALL : LogFilter.BASIC, since);
  }

  /** The job token, from auth first, then the query. */
  static Optional<String> token(Handshake handshake) {
    return text(handshake.auth(), "token").or(() -> query(handshake, "token"));
  }

  private static Optional<String> text(JsonNode auth, String field) {
    JsonNode node = auth.get(field);
    return node != null && node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
  }

  private static Optional<String> query(Handshake handshake, String name) {
    return Optional.ofNullable(handshake.query().get(name));
  }

  private static long since(JsonNode fromAuth, String fromQuery) {
    if (fromAuth != null && !fromAuth.isNull()) {
      // why: some official clients (Java) can only send auth values as strings
      if (fromAuth.isTextual()) return parseSince(fromAuth.asText());
      if (!fromAuth.canConvertToExactIntegral() || fromAuth.asLong() < 0) {
        throw InvalidRequestException.badRequest("auth.since must be a whole number of lines, 0 or more.");
      }
      return fromAuth.asLong();
    }
    return fromQuery == null ? 0 : parseSince(fromQuery);
  }

  private static long parseSince(String fromQuery) {
    try {
      long n = Long.parseLong(fromQuery);
      if (n >= 0) return n;
    } catch (NumberFormatException e) {
      // why: reported below
    }
    throw InvalidRequestException.badRequest("since must be a whole number of lines, 0 or more.");
  }
}
