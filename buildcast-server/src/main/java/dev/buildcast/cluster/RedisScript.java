package dev.buildcast.cluster;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script that Redis runs atomically: nothing else runs between its commands. Sent by its
 * SHA-1 digest and, when Redis does not know it (first use, or after a restart, which forgets
 * scripts), once in full.
 *
 * <p>Threading: immutable; safe for concurrent use.
 */
final class RedisScript {

  private final String text;
  private final String sha;
  private final ScriptOutputType output;

  RedisScript(String text, ScriptOutputType output) {
    this.text = text;
    this.sha = sha1(text);
    this.output = output;
  }

  <T> T run(RedisCommands<String, String> redis, String[] keys, String... args) {
    try {
      return redis.evalsha(sha, output, keys, args);
    } catch (RedisNoScriptException e) {
      return redis.eval(text, output, keys, args);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1, which every Java platform must have", e);
    }
  }
}
