package dev.buildcast.generator;

/**
 * A job secret a generator takes: a value the submitter gives with the job (a push token, say)
 * that is kept in memory only, masked in the job's log and never stored or answered.
 *
 * @param name letters, digits and underscore
 * @param description what it is used for, for people
 */
public record SecretSpec(String name, String description) {}
