package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {

  @Test
  void offer_batchOverBound_nothingQueued() {
    OutboundQueue q = new OutboundQueue(10, 100);
    q.offer(List.of(EngineMessage.text("1")));
    assertThat(q.offer(List.of(EngineMessage.text("12345"), EngineMessage.text("123456")))).isFalse();
    assertThat(q.messages()).isEqualTo(1);
    assertThat(q.bytes()).isEqualTo(1);
  }

  @Test
  void offer_batchLargerThanTheBoundsOnAnEmptyQueue_isTakenWhole() {
    // why: refused, it could never fit, and its sender would wait for a drain forever
    OutboundQueue q = new OutboundQueue(10, 1);
    assertThat(q.offer(List.of(EngineMessage.text("12345"), EngineMessage.text("123456")))).isTrue();
    assertThat(q.messages()).isEqualTo(2);
    assertThat(q.offer(List.of(EngineMessage.text("1")))).isFalse();
  }

  @Test
  void offerPastBound_fullQueue_isTakenAndCounted() {
    OutboundQueue q = new OutboundQueue(10, 1);
    q.offer(List.of(EngineMessage.text("12345")));
    assertThat(q.offer(List.of(EngineMessage.text("1")))).isFalse();
    q.offerPastBound(List.of(EngineMessage.text("41")));
    assertThat(q.messages()).isEqualTo(2);
    assertThat(q.bytes()).isEqualTo(7);
    assertThat(q.peekFirst(10, 1000, true)).hasSize(2);
  }

  @Test
  void peekFirst_takesUpToTheCountOrTheBytes_leavesTheQueueAsItIs() {
    OutboundQueue q = new OutboundQueue(1000, 100);
    q.offer(List.of(EngineMessage.text("aaaa"), EngineMessage.text("bbbb"), EngineMessage.text("cccc")));
    q.offerControl(OutboundPacket.PING);

    assertThat(q.peekFirst(2, 1000, true)).hasSize(2);
    assertThat(q.peekFirst(10, 8, true)).hasSize(2); // a third message would pass 8 bytes
    assertThat(q.peekFirst(10, 1000, true)).hasSize(4); // control packets count no bytes
    assertThat(q.peekFirst(10, 2, true)).as("a first packet larger than the bytes is still taken").hasSize(1);
    assertThat(q.size()).isEqualTo(4);
  }

  @Test
  void peekFirst_withoutMessages_takesOnlyTheControlPacketsAheadOfTheFirstMessage() {
    OutboundQueue q = new OutboundQueue(1000, 100);
    q.offerControl(OutboundPacket.NOOP);
    q.offerControl(OutboundPacket.PING);
    q.offer(List.of(EngineMessage.text("aaaa")));
    q.offerControl(OutboundPacket.CLOSE);

    assertThat(q.peekFirst(10, 1000, false)).containsExactly(OutboundPacket.NOOP, OutboundPacket.PING);
    q.remove();
    q.remove();
    assertThat(q.peekFirst(10, 1000, false)).isEmpty();
  }

  @Test
  void controlPackets_neverRefusedNorCounted() {
    OutboundQueue q = new OutboundQueue(1, 1);
    q.offer(List.of(EngineMessage.text("a")));
    q.offerControl(OutboundPacket.PING);
    assertThat(q.size()).isEqualTo(2);
    assertThat(q.messages()).isEqualTo(1);
    assertThat(q.bytes()).isEqualTo(1);
  }

  @Test
  void remove_afterRefusal_drainReportedOnceBelowHalf() {
    OutboundQueue q = new OutboundQueue(1000, 4);
    for (int i = 0; i < 4; i++) q.offer(List.of(EngineMessage.text("m")));
    assertThat(q.offer(List.of(EngineMessage.text("m")))).isFalse();

    assertThat(q.remove()).isFalse(); // 3 left: above half
    assertThat(q.remove()).isTrue(); // 2 left: half
    assertThat(q.remove()).isFalse(); // reported once
  }

  @Test
  void remove_withoutRefusal_neverReportsDrain() {
    OutboundQueue q = new OutboundQueue(1000, 4);
    q.offer(List.of(EngineMessage.text("m")));
    assertThat(q.remove()).isFalse();
  }

  @Test
  void takeBatch_respectsMaxPayloadButTakesAtLeastOne() {
    OutboundQueue q = new OutboundQueue(10_000, 100);
    q.offer(List.of(EngineMessage.text("a".repeat(50)), EngineMessage.text("b"), EngineMessage.text("c")));
    boolean[] drained = new boolean[1];
    assertThat(q.takeBatch(10, drained)).hasSize(1);
    assertThat(q.takeBatch(10, drained)).hasSize(2);
    assertThat(q.isEmpty()).isTrue();
  }

  @Test
  void serverMemory_aMessageInTwoQueues_countsOnce_untilTheLastLetsItGo() {
    QueuedMessageMemory memory = new QueuedMessageMemory(1000);
    OutboundQueue a = new OutboundQueue(1000, 100, memory);
    OutboundQueue b = new OutboundQueue(1000, 100, memory);
    EngineMessage shared = EngineMessage.text("12345");
    a.offer(List.of(shared));
    b.offer(List.of(shared, EngineMessage.text("12")));
    assertThat(memory.bytes()).isEqualTo(7);

    a.remove();
    assertThat(memory.bytes()).isEqualTo(7);
    b.clear();
    assertThat(memory.bytes()).isZero();
  }

  @Test
  void serverMemory_full_aQueueHoldingSomethingRefusesNewMessages_butNotOnesQueuedElsewhere() {
    QueuedMessageMemory memory = new QueuedMessageMemory(10);
    OutboundQueue a = new OutboundQueue(1000, 100, memory);
    OutboundQueue b = new OutboundQueue(1000, 100, memory);
    EngineMessage big = EngineMessage.text("123456789");
    a.offer(List.of(big));
    b.offer(List.of(EngineMessage.text("1")));

    assertThat(b.offer(List.of(EngineMessage.text("12")))).isFalse();
    assertThat(b.offer(List.of(big))).isTrue();
    assertThat(memory.bytes()).isEqualTo(10);
  }

  @Test
  void serverMemory_full_anEmptyQueueStillTakesItsBatch() {
    // why: refused, it would wait for a drain of its own queue that never comes
    QueuedMessageMemory memory = new QueuedMessageMemory(10);
    new OutboundQueue(1000, 100, memory).offer(List.of(EngineMessage.text("1234567890")));
    OutboundQueue empty = new OutboundQueue(1000, 100, memory);

    assertThat(empty.offer(List.of(EngineMessage.text("abc")))).isTrue();
    assertThat(memory.bytes()).isEqualTo(13);
  }

  @Test
  void serverMemory_refusedForTheServer_drainReportedOnceTheQueueIsBelowHalfItsOwnBound() {
    QueuedMessageMemory memory = new QueuedMessageMemory(10);
    OutboundQueue other = new OutboundQueue(1000, 100, memory);
    other.offer(List.of(EngineMessage.text("123456789")));
    OutboundQueue q = new OutboundQueue(1000, 100, memory);
    q.offer(List.of(EngineMessage.text("1")));
    assertThat(q.offer(List.of(EngineMessage.text("22")))).isFalse();

    assertThat(q.remove()).as("the sender is woken to try again").isTrue();
    assertThat(q.offer(List.of(EngineMessage.text("22")))).as("an empty queue takes it").isTrue();
  }
}
