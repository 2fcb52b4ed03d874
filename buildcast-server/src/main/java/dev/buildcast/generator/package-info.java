/**
 * What turns a job's input into artifacts: the {@link dev.buildcast.generator.Generator} port, the
 * configured command generator (a process tree of its own, never a shell), and the path of its
 * output into the log ({@link dev.buildcast.generator.OutputPump}, workflow commands). Built-in
 * generators live in sub-packages and are known only to the wiring.
 *
 * <p>Imports only the JDK and the {@code log} package.
 */
package dev.buildcast.generator;
