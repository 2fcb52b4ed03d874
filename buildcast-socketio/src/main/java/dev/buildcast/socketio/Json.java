package dev.buildcast.socketio;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Builds the one ObjectMapper a server shares between its decoder, encoder and handlers. */
final class Json {
  private Json() {}

  /**
   * A mapper whose parser refuses documents deeper than {@code maxNestingDepth} or with strings
   * longer than {@code maxStringLength}: packets come from untrusted clients, and a deeply nested
   * document would otherwise cost stack and a long string memory before any handler could refuse it.
   */
  static ObjectMapper mapper(int maxNestingDepth, int maxStringLength) {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(maxNestingDepth)
                    .maxStringLength(maxStringLength)
                    .build())
            .build();
    ObjectMapper mapper = new ObjectMapper(factory);
    // why: "42[\"a\"]x" must be refused as a whole, not read as its valid prefix
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    return mapper;
  }
}
