package dev.buildcast.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacketDecoderTest {
  private final PacketDecoder decoder = new PacketDecoder(Json.mapper(64, 1_000_000), 10);

  @Test
  void decode_connectToRoot_hasRootNamespaceAndNoPayload() {
    Packet p = decoder.decode("0");
    assertThat(p.type()).isEqualTo(PacketType.CONNECT);
    assertThat(p.namespace()).isEqualTo("/");
    assertThat(p.payload()).isNull();
    assertThat(p.hasAckId()).isFalse();
  }

  @Test
  void decode_connectWithNamespaceAndAuth_readsBoth() {
    Packet p = decoder.decode("0/admin,{\"token\":\"123\"}");
    assertThat(p.namespace()).isEqualTo("/admin");
    assertThat(p.payload().get("token").asText()).isEqualTo("123");
  }

  @Test
  void decode_namespaceWithoutComma_takesRestAsNamespace() {
    assertThat(decoder.decode("0/random").namespace()).isEqualTo("/random");
  }

  @Test
  void decode_eventWithAckId_readsIdAndArgs() {
    Packet p = decoder.decode("2/admin,12[\"foo\",1,{\"a\":[true]}]");
    assertThat(p.type()).isEqualTo(PacketType.EVENT);
    assertThat(p.namespace()).isEqualTo("/admin");
    assertThat(p.ackId()).isEqualTo(12);
    assertThat(p.payload().toString()).isEqualTo("[\"foo\",1,{\"a\":[true]}]");
  }

  @Test
  void decode_binaryEventHeader_readsAttachmentCount() {
    Packet p = decoder.decode("52-/admin,7[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
    assertThat(p.type()).isEqualTo(PacketType.BINARY_EVENT);
    assertThat(p.attachments()).isEqualTo(2);
    assertThat(p.namespace()).isEqualTo("/admin");
    assertThat(p.ackId()).isEqualTo(7);
  }

  @Test
  void decode_ack_readsIdAndArray() {
    Packet p = decoder.decode("3/admin,13[\"bar\"]");
    assertThat(p.type()).isEqualTo(PacketType.ACK);
    assertThat(p.ackId()).isEqualTo(13);
    assertThat(p.payload().get(0).asText()).isEqualTo("bar");
  }

  @Test
  void decode_numericEventName_becomesItsJavaScriptText_restAreArguments() {
    Packet p = decoder.decode("2[1,2]");
    assertThat(p.type()).isEqualTo(PacketType.EVENT);
    assertThat(p.payload().get(0).textValue()).isEqualTo("1");
    assertThat(p.payload().get(1).intValue()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @org.junit.jupiter.params.provider.CsvSource({
    "0, 0", "-3, -3", "1.5, 1.5", "-0.0, 0", "1.0, 1", "100, 100", "1e3, 1000", "0.000001, 0.000001",
    "1e-7, 1e-7", "1.5e-7, 1.5e-7", "1e21, 1e+21", "123456789012345678901234, 1.2345678901234569e+23",
    "12345678901234567890, 12345678901234567000", "1e400, Infinity"
  })
  void decode_numericEventName_isWrittenAsJavaScriptWouldWriteIt(String json, String expected) {
    assertThat(decoder.decode("2[" + json + "]").payload().get(0).textValue()).isEqualTo(expected);
  }

  @Test
  void decode_connectWithAckId_readAsTheReferenceDoes_namespaceKept_idDropped() {
    Packet p = decoder.decode("0/nsp,123");
    assertThat(p.type()).isEqualTo(PacketType.CONNECT);
    assertThat(p.namespace()).isEqualTo("/nsp");
    assertThat(p.hasAckId()).isFalse();
    assertThat(p.payload()).isNull();

    Packet withAuth = decoder.decode("0/nsp,7{\"token\":\"t\"}");
    assertThat(withAuth.namespace()).isEqualTo("/nsp");
    assertThat(withAuth.payload().get("token").textValue()).isEqualTo("t");
    assertThat(decoder.decode("01").namespace()).isEqualTo("/");
  }

  @Test
  void decode_eventWithoutPayload_acceptedWithoutPayload_asTheReferenceParserDoes() {
    for (String text : List.of("2", "21", "2/admin,", "2/admin,4")) {
      Packet p = decoder.decode(text);
      assertThat(p.type()).as(text).isEqualTo(PacketType.EVENT);
      assertThat(p.payload()).as(text).isNull();
    }
    assertThat(decoder.decode("2/admin,4").namespace()).isEqualTo("/admin");
    assertThat(decoder.decode("2/admin,4").ackId()).isEqualTo(4);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"30[null]", "30[1]", "30[[1]]", "30[{}]", "30[\"connect\"]", "30[\"disconnect\",1]", "30[true]"})
  void decode_ackWithAnyArray_isValid_itsFirstElementNotChecked(String text) {
    Packet p = decoder.decode(text);
    assertThat(p.type()).isEqualTo(PacketType.ACK);
    assertThat(p.ackId()).isZero();
    assertThat(p.payload().isArray()).isTrue();
  }

  @Test
  void decode_ackWithoutId_isValid_andCarriesNoId() {
    Packet plain = decoder.decode("3[1]");
    assertThat(plain.type()).isEqualTo(PacketType.ACK);
    assertThat(plain.hasAckId()).isFalse();
    assertThat(plain.payload().toString()).isEqualTo("[1]");

    Packet binary = decoder.decode("61-[{\"_placeholder\":true,\"num\":0}]");
    assertThat(binary.type()).isEqualTo(PacketType.BINARY_ACK);
    assertThat(binary.hasAckId()).isFalse();
  }

  @Test
  void decode_ackWithoutPayload_isAnAckWithoutArguments() {
    Packet p = decoder.decode("37");
    assertThat(p.type()).isEqualTo(PacketType.ACK);
    assertThat(p.ackId()).isEqualTo(7);
    assertThat(p.payload().isArray()).isTrue();
    assertThat(p.payload()).isEmpty();
  }

  @Test
  void decode_disconnectWithAckId_readAsTheReferenceDoes_idDropped() {
    Packet p = decoder.decode("1/admin,5");
    assertThat(p.type()).isEqualTo(PacketType.DISCONNECT);
    assertThat(p.namespace()).isEqualTo("/admin");
    assertThat(p.hasAckId()).isFalse();
    assertThat(decoder.decode("11").hasAckId()).isFalse();
  }

  @Test
  void decode_emptyAck_isValid() {
    assertThat(decoder.decode("30[]").payload()).isEmpty();
  }

  @Test
  void decode_disconnectOfNamespace_isValid() {
    Packet p = decoder.decode("1/admin,");
    assertThat(p.type()).isEqualTo(PacketType.DISCONNECT);
    assertThat(p.namespace()).isEqualTo("/admin");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "", // empty
        "7[\"a\"]", // unknown type
        "abc", // unknown type
        "4{\"message\":\"x\"}", // CONNECT_ERROR is server-only
        "0[1]", // CONNECT payload not an object
        "0\"x\"", // CONNECT payload not an object
        "1{}", // DISCONNECT with payload
        "2{}", // EVENT payload not an array
        "2[]", // EVENT without name
        "2[null]", // event name neither a string nor a number
        "2[true]", // event name neither a string nor a number
        "2[[\"a\"]]", // event name neither a string nor a number
        "2[\"connect\"]", // reserved
        "2[\"disconnect\",1]", // reserved
        "2[\"newListener\"]", // reserved
        "2abc[\"message-with-ack\",1]", // bad ack id (read as invalid JSON)
        "21234567890123456[\"a\"]", // ack id too long
        "31{}", // ACK payload not an array
        "31\"a\"", // ACK payload not an array
        "11{}", // DISCONNECT with an id and a payload
        "2[\"a\"", // invalid JSON
        "2[\"a\"]x", // trailing garbage
        "2[\"a\"][\"b\"]", // two documents
        "5[\"a\"]", // BINARY_EVENT without count
        "5x-[\"a\"]", // BINARY_EVENT bad count
        "51[\"a\"]", // count without dash
        "511-[\"a\"]", // more attachments than allowed (10)
        "2/admin,[\"a\"", // invalid JSON in a namespace
      })
  void decode_invalidPacket_throwsProtocolException(String text) {
    assertThatThrownBy(() -> decoder.decode(text)).isInstanceOf(ProtocolException.class);
  }

  @Test
  void decode_nestingDeeperThanLimit_throwsProtocolException() {
    String deep = "2[\"a\"," + "[".repeat(70) + "]".repeat(70) + "]";
    assertThatThrownBy(() -> decoder.decode(deep)).isInstanceOf(ProtocolException.class);
  }

  @Test
  void decode_stringLongerThanLimit_throwsProtocolException() {
    PacketDecoder small = new PacketDecoder(Json.mapper(64, 100), 10);
    String text = "2[\"a\",\"" + "x".repeat(200) + "\"]";
    assertThatThrownBy(() -> small.decode(text)).isInstanceOf(ProtocolException.class);
  }

  @Test
  void decode_namespaceTooLong_throwsProtocolException() {
    assertThatThrownBy(() -> decoder.decode("0/" + "n".repeat(300) + ","))
        .isInstanceOf(ProtocolException.class);
  }
}
