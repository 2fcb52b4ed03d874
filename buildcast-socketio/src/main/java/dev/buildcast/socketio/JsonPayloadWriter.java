package dev.buildcast.socketio;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** Writes one JSON value, an event's argument, with the generator it is given (see {@link Namespace#encodeWritten}). */
@FunctionalInterface
public interface JsonPayloadWriter {
  void write(JsonGenerator generator) throws IOException;
}
