package dev.buildcast.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.buildcast.socketio.engine.EngineConfig;
import org.junit.jupiter.api.AfterEach;

/** Base of unit tests that run a SocketIoServer over the in-memory engine. */
abstract class FakeEngineFixture {
  static final ObjectMapper JSON = new ObjectMapper();

  FakeEngineServer engine;
  SocketIoServer io;

  void start(SocketIoConfig config) {
    engine = new FakeEngineServer(config.engine());
    io = SocketIoServer.create(engine, config);
  }

  void start() {
    start(SocketIoConfig.defaults().withEngine(EngineConfig.defaults()));
  }

  @AfterEach
  void stopServer() {
    if (io != null) io.close();
  }

  /** Opens a session and connects it to a namespace; returns the session. */
  FakeEngineSocket connected(String namespace) {
    FakeEngineSocket s = engine.connect();
    s.receive("/".equals(namespace) ? "0" : "0" + namespace + ",");
    return s;
  }

  /** The sid in a CONNECT answer such as {@code 0/admin,{"sid":"x"}}. */
  static String sidOf(String connectAnswer) {
    try {
      JsonNode node = JSON.readTree(connectAnswer.substring(connectAnswer.indexOf('{')));
      return node.get("sid").asText();
    } catch (Exception e) {
      throw new AssertionError("not a CONNECT answer: " + connectAnswer, e);
    }
  }
}
