package dev.buildcast.socket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.socketio.ConnectRefusedException;
import dev.buildcast.socketio.SocketIoServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvalidNamespaceRefusalTest {

  @Test
  void invalidNamespace_saysWhichNamespacesExist_andCarriesAMachineReadableCode() {
    ConnectRefusedException refusal = SocketGateway.invalidNamespace("/jobs");

    assertThat(refusal.getMessage())
        .startsWith(SocketIoServer.INVALID_NAMESPACE + ": /jobs is neither /")
        .contains("/<jobId>");
    assertThat(refusal.data()).isEqualTo(Map.of("code", "invalid_namespace"));
  }

  @Test
  void invalidNamespace_aShortJobIdLikeName_isRefusedByTheJobPattern() {
    assertThat(SocketGateway.JOB_NAMESPACE.matcher("/abc").matches()).isFalse();
    assertThat(SocketGateway.JOB_NAMESPACE.matcher("/" + "a".repeat(22)).matches()).isTrue();
  }
}
