package dev.buildcast.config;

import dev.buildcast.BuildcastException;

/** The command line or configuration file is wrong; the message says where and how to fix it. */
public final class ConfigException extends BuildcastException {
  public ConfigException(String message) {
    super("config", message);
  }

  public ConfigException(String message, Throwable cause) {
    super("config", message, cause);
  }
}
