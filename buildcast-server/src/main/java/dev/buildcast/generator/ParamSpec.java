package dev.buildcast.generator;

/**
 * A parameter a generator understands.
 *
 * @param name letters, digits and underscore
 * @param description what it does, for people
 * @param required whether a job without it is refused
 */
public record ParamSpec(String name, String description, boolean required) {}
