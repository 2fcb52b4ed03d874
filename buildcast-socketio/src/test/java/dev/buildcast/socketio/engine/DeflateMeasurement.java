package dev.buildcast.socketio.engine;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;

/**
 * A rough measurement, not a test: CPU time of this process (server and client together, on
 * loopback) to deliver N log-line messages (~110 bytes) over one WebSocket, with permessage-deflate
 * off, on for every message (threshold 0), and on with the default threshold (1024 bytes: log
 * lines go plain, only the big messages would be compressed).
 * Run: java -cp <test classpath> dev.buildcast.socketio.engine.DeflateMeasurement [messages]
 */
public final class DeflateMeasurement {
  private DeflateMeasurement() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    for (int round = 0; round < 3; round++) {
      for (int threshold : new int[] {-1, 0, EngineConfig.defaults().deflateThresholdBytes()}) {
        double[] r = run(threshold >= 0, Math.max(threshold, 0), n);
        if (round > 0) { // round 0 warms the JIT
          String what = threshold < 0 ? "deflate off" : "deflate, threshold " + threshold;
          System.out.printf("%-26s %d msgs: %.1f µs CPU/msg, %.1f µs wall/msg%n", what, n, r[0], r[1]);
        }
      }
    }
  }

  /** Counts text frames; public because Jetty binds endpoint methods reflectively. */
  public static final class Counter implements Session.Listener.AutoDemanding {
    final CountDownLatch done = new CountDownLatch(1);
    private final int expected;
    private int count;

    Counter(int expected) {
      this.expected = expected;
    }

    @Override
    public void onWebSocketText(String message) {
      if (++count == expected) done.countDown();
    }
  }

  private static double[] run(boolean deflate, int threshold, int n) throws Exception {
    EngineConfig config = EngineFixture.config().withPerMessageDeflate(deflate, threshold).withQueueLimits(1L << 30, 1_000_000, 1L << 40);
    try (EngineFixture fx = new EngineFixture(config)) {
      Counter counter = new Counter(n + 1); // + the open packet
      CountDownLatch done = counter.done;
      ClientUpgradeRequest request = new ClientUpgradeRequest(fx.wsUri("EIO=4&transport=websocket"));
      if (deflate) request.addExtensions("permessage-deflate");
      fx.wsClient.connect(counter, request).get(60, TimeUnit.SECONDS);
      EngineSocket socket = fx.nextSocket();
      EngineMessage[] lines = new EngineMessage[100];
      for (int i = 0; i < lines.length; i++) {
        lines[i] = EngineMessage.text("[\"log\",{\"job\":\"build-42\",\"seq\":" + i
            + ",\"line\":\"[INFO] Compiling 42 source files to /work/target/classes (step " + i + ")\"}]");
      }
      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        while (!socket.send(lines[i % lines.length])) Thread.onSpinWait();
      }
      if (!done.await(120, TimeUnit.SECONDS)) throw new IllegalStateException("not all delivered");
      double cpu = (os.getProcessCpuTime() - cpu0) / 1000.0 / n;
      double wall = (System.nanoTime() - t0) / 1000.0 / n;
      return new double[] {cpu, wall};
    }
  }
}
